using Npgsql;

namespace BotRuntime.State;

/// <summary>A turn's start in one round trip: lease, delivery claim and read-ahead (issue 22).</summary>
public sealed partial class PostgresStorage
{
    /// <summary>
    /// One call of <c>{table}_begin_v1</c>: takes the lease (a fresh token from the sequence, as
    /// <see cref="TryAcquireAsync"/>), writes the claim under it with the same checks as any fenced write — committed
    /// before this returns, so the claim is durable before the turn runs — and reads <see cref="TurnStart.ReadAhead"/>.
    /// </summary>
    public async Task<LeaseStart?> TryStartTurnAsync(string conversationKey, string holder, TimeSpan duration, TurnStart start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentNullException.ThrowIfNull(start);
        var now = Now();
        var (keys, expected, eTags, documents, expires) = WriteArrays(start.Claim, new Dictionary<string, string>(StringComparer.Ordinal));
        var read = start.ReadAhead.ToArray();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT o_token, o_claimed, o_key, o_etag, o_document, o_expires FROM {_table}_begin_v1($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection);
        command.Parameters.AddWithValue(conversationKey);
        command.Parameters.AddWithValue(holder);
        command.Parameters.AddWithValue(now + duration);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(keys);
        command.Parameters.AddWithValue(expected);
        command.Parameters.AddWithValue(eTags);
        command.Parameters.AddWithValue(documents);
        command.Parameters.AddWithValue(expires);
        command.Parameters.AddWithValue(read);

        long? token = null;
        bool? claimed = null;
        var items = new Dictionary<string, StoreItem?>(StringComparer.Ordinal);
        foreach (var key in read)
        {
            items[key] = null; // absent unless a row says otherwise
        }
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                token = reader.GetInt64(0);
                claimed = reader.IsDBNull(1) ? null : reader.GetBoolean(1);
                if (!reader.IsDBNull(2))
                {
                    items[reader.GetString(2)] = ReadItem(reader, first: 2);
                }
            }
        }
        if (token is null)
        {
            return null;
        }
        return new LeaseStart(token.Value, claimed, read.Length == 0 ? null : new TurnReadAhead(this, items));
    }
}
