using Npgsql;

namespace BotRuntime.State;

/// <summary>The per-conversation turn leases (<see cref="IConversationLeases"/>) outside a turn's own two statements.</summary>
public sealed partial class PostgresStorage : IConversationLeases
{
    public async Task<long?> TryAcquireAsync(string conversationKey, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // A fresh token from the sequence on every take-over: strictly above the token of anyone who held it before.
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {_table}_leases AS l (conversation, token, holder, expires_at) VALUES ($1, nextval('{_table}_lease_token'), $2, $3)
            ON CONFLICT (conversation) DO UPDATE SET token = EXCLUDED.token, holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
            WHERE l.expires_at <= $4
            RETURNING token
            """, connection);
        command.Parameters.AddWithValue(conversationKey);
        command.Parameters.AddWithValue(holder);
        command.Parameters.AddWithValue(now + duration);
        command.Parameters.AddWithValue(now);
        var token = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return token is long value ? value : null;
    }

    public async Task<bool> RenewAsync(string conversationKey, long token, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"UPDATE {_table}_leases SET expires_at = $3 WHERE conversation = $1 AND token = $2 AND expires_at > $4", connection);
        command.Parameters.AddWithValue(conversationKey);
        command.Parameters.AddWithValue(token);
        command.Parameters.AddWithValue(now + duration);
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task ReleaseAsync(string conversationKey, long token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_table}_leases WHERE conversation = $1 AND token = $2", connection);
        command.Parameters.AddWithValue(conversationKey);
        command.Parameters.AddWithValue(token);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
