using Npgsql;

namespace BotRuntime.State;

/// <summary>A turn's start in one round trip: refusal check, lease, delivery claim and read-ahead (issue 22).</summary>
public sealed partial class PostgresStorage
{
    // A writer slipping in between begin_v3's check of the claim and its write makes the whole statement roll back (the
    // lease too); started again, the check sees that write. More than this many in a row is no race but a fault.
    private const int BeginAttempts = 3;

    /// <summary>
    /// One call of <c>{table}_begin_v3</c>: refuses the turn when a key of <see cref="TurnStart.RefuseIfAny"/> is present
    /// (<see cref="TurnRefusedException"/>: nothing taken or written); otherwise takes the lease (a fresh token from the
    /// sequence, as <see cref="TryAcquireAsync"/>), writes the claim under it with the same conditions as any write —
    /// committed before this returns, so the claim is durable before the turn runs — and reads
    /// <see cref="TurnStart.ReadAhead"/>.
    /// </summary>
    public async Task<LeaseStart?> TryStartTurnAsync(string conversationKey, string holder, TimeSpan duration, TurnStart start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentNullException.ThrowIfNull(start);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await BeginAsync(conversationKey, holder, duration, start, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == ConflictState && attempt < BeginAttempts)
            {
                // Nothing of that attempt was stored: start again.
            }
            catch (PostgresException exception) when (exception.SqlState == ConflictState)
            {
                throw new StorageConflictException(exception.MessageText, exception);
            }
        }
    }

    private async Task<LeaseStart?> BeginAsync(string conversationKey, string holder, TimeSpan duration, TurnStart start, CancellationToken cancellationToken)
    {
        var now = Now();
        var (keys, expected, eTags, documents, expires) = WriteArrays(start.Claim, new Dictionary<string, string>(StringComparer.Ordinal));
        var read = start.ReadAhead.ToArray();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_sql.Begin, connection);
        command.Parameters.AddWithValue(conversationKey);
        command.Parameters.AddWithValue(holder);
        command.Parameters.AddWithValue(now + duration);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(keys);
        command.Parameters.AddWithValue(expected);
        command.Parameters.AddWithValue(eTags);
        command.Parameters.Add(DocumentsParameter(documents));
        command.Parameters.AddWithValue(expires);
        command.Parameters.AddWithValue(read);
        command.Parameters.AddWithValue(start.RefuseIfAny.ToArray());

        long? token = null;
        bool? claimed = null;
        var refused = false;
        var items = new Dictionary<string, StoreItem?>(StringComparer.Ordinal);
        foreach (var key in read)
        {
            items[key] = null; // absent unless a row says otherwise
        }
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(0))
                {
                    refused = true; // the one row of a refusal: no token
                    continue;
                }
                token = reader.GetInt64(0);
                claimed = reader.IsDBNull(1) ? null : reader.GetBoolean(1);
                if (!reader.IsDBNull(2))
                {
                    items[reader.GetString(2)] = ReadItem(reader, first: 2);
                }
            }
        }
        if (refused)
        {
            throw new TurnRefusedException();
        }
        if (token is null)
        {
            return null;
        }
        return new LeaseStart(token.Value, claimed, read.Length == 0 ? null : TurnReadAhead.Adopt(this, items));
    }
}
