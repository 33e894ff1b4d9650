using Npgsql;

namespace BotRuntime.State;

/// <summary>The schema, and the per-conversation turn leases (<see cref="IConversationLeases"/>).</summary>
public sealed partial class PostgresStorage : IConversationLeases
{
    /// <summary>
    /// The state table (unchanged since the first version, so older instances keep reading and writing it), the lease
    /// table with its token sequence, and the write function. The function carries a version in its name: a rolling
    /// deploy may run two versions at once, and a newer one must never replace what an older one still calls.
    /// </summary>
    private static string SchemaSql(string table) => $$"""
        CREATE TABLE IF NOT EXISTS {{table}} (
            key        text COLLATE "C" PRIMARY KEY,
            etag       text        NOT NULL,
            document   text        NOT NULL,
            expires_at timestamptz NULL
        );
        CREATE INDEX IF NOT EXISTS ix_{{table}}_expires ON {{table}} (expires_at) WHERE expires_at IS NOT NULL;
        CREATE SEQUENCE IF NOT EXISTS {{table}}_lease_token;
        CREATE TABLE IF NOT EXISTS {{table}}_leases (
            conversation text COLLATE "C" PRIMARY KEY,
            token        bigint      NOT NULL,
            holder       text        NOT NULL,
            expires_at   timestamptz NOT NULL
        );
        CREATE OR REPLACE FUNCTION {{table}}_write_v1(
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[],
            p_now timestamptz, p_fence_conversation text, p_fence_token bigint)
        RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            i integer;
            v_etag text;
            v_expires timestamptz;
            v_live boolean;
        BEGIN
            IF p_fence_conversation IS NOT NULL THEN
                -- FOR SHARE: a takeover (which updates this row) waits until this write has committed, so the check
                -- and the write cannot be split by another instance taking the conversation over.
                PERFORM 1 FROM {{table}}_leases
                    WHERE conversation = p_fence_conversation AND token = p_fence_token AND expires_at > p_now FOR SHARE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'AB002', MESSAGE = 'lease lost';
                END IF;
            END IF;
            FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
                SELECT etag, expires_at INTO v_etag, v_expires FROM {{table}} WHERE key = p_keys[i] FOR UPDATE;
                IF FOUND THEN
                    v_live := v_expires IS NULL OR v_expires > p_now;
                    IF (p_expected[i] IS NULL AND v_live)
                       OR (p_expected[i] IS NOT NULL AND p_expected[i] <> '*' AND (NOT v_live OR v_etag <> p_expected[i])) THEN
                        RAISE EXCEPTION USING ERRCODE = 'AB001', MESSAGE = p_keys[i], HINT = CASE WHEN v_live THEN 'exists' ELSE 'absent' END;
                    END IF;
                    UPDATE {{table}} SET etag = p_etags[i], document = p_documents[i], expires_at = p_expires[i] WHERE key = p_keys[i];
                ELSIF p_expected[i] IS NOT NULL AND p_expected[i] <> '*' THEN
                    RAISE EXCEPTION USING ERRCODE = 'AB001', MESSAGE = p_keys[i], HINT = 'absent';
                ELSE
                    INSERT INTO {{table}} (key, etag, document, expires_at) VALUES (p_keys[i], p_etags[i], p_documents[i], p_expires[i]);
                END IF;
            END LOOP;
        END
        $fn$;
        """;

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
