using Npgsql;

namespace BotRuntime.State;

/// <summary>The schema, and the per-conversation turn leases (<see cref="IConversationLeases"/>).</summary>
public sealed partial class PostgresStorage : IConversationLeases
{
    /// <summary>
    /// The state table (unchanged since the first version, so older instances keep reading and writing it), the lease
    /// table with its token sequence, and the write function. The function carries a version in its name: a rolling
    /// deploy may run two versions at once, and a newer one must never replace what an older one still calls (so v1 stays,
    /// and v2 and begin_v1 call it rather than repeat it).
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
        -- A turn's closing write that also gives its lease back (issue 22: one round trip less per turn). The release
        -- happens only if the fenced write went through, in the same transaction: a stale holder's write is refused by
        -- write_v1 and deletes nothing, and the DELETE matches only this holder's own token.
        CREATE OR REPLACE FUNCTION {{table}}_write_v2(
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[],
            p_now timestamptz, p_fence_conversation text, p_fence_token bigint, p_release boolean)
        RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM {{table}}_write_v1(p_keys, p_expected, p_etags, p_documents, p_expires, p_now, p_fence_conversation, p_fence_token);
            IF p_release AND p_fence_conversation IS NOT NULL THEN
                DELETE FROM {{table}}_leases WHERE conversation = p_fence_conversation AND token = p_fence_token;
            END IF;
        END
        $fn$;
        -- A turn's start in one round trip (issue 22): take the conversation's lease; if taken, write the delivery claim
        -- under the new token (committed when the statement ends, so it is durable before the turn runs: invariant 5)
        -- and read the keys the turn is expected to read. A claim that conflicts (a redelivery) writes nothing and says
        -- so (o_claimed false) while the lease stays taken. No rows at all: the lease is held by someone else.
        -- The first row carries only the token and the claim's outcome; each further row is one item read.
        CREATE OR REPLACE FUNCTION {{table}}_begin_v1(
            p_conversation text, p_holder text, p_until timestamptz, p_now timestamptz,
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[], p_read text[])
        RETURNS TABLE (o_token bigint, o_claimed boolean, o_key text, o_etag text, o_document text, o_expires timestamptz)
        LANGUAGE plpgsql AS $fn$
        DECLARE
            v_token bigint;
            v_claimed boolean;
        BEGIN
            INSERT INTO {{table}}_leases AS l (conversation, token, holder, expires_at)
                VALUES (p_conversation, nextval('{{table}}_lease_token'), p_holder, p_until)
                ON CONFLICT (conversation) DO UPDATE SET token = EXCLUDED.token, holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE l.expires_at <= p_now
                RETURNING l.token INTO v_token;
            IF v_token IS NULL THEN
                RETURN;
            END IF;
            IF coalesce(array_length(p_keys, 1), 0) > 0 THEN
                -- A sub-transaction: a conflicting claim undoes only its own writes, never the lease just taken.
                BEGIN
                    PERFORM {{table}}_write_v1(p_keys, p_expected, p_etags, p_documents, p_expires, p_now, p_conversation, v_token);
                    v_claimed := true;
                EXCEPTION WHEN SQLSTATE 'AB001' OR unique_violation THEN
                    v_claimed := false;
                END;
            END IF;
            RETURN QUERY
                SELECT v_token, v_claimed, NULL::text, NULL::text, NULL::text, NULL::timestamptz
                UNION ALL
                SELECT v_token, v_claimed, s.key::text, s.etag, s.document, s.expires_at FROM {{table}} s
                    WHERE s.key = ANY(p_read) AND (s.expires_at IS NULL OR s.expires_at > p_now);
        END
        $fn$;
        -- write_v1/v2 with less work per key (issue 22: the database's CPU per turn). One statement per key instead of a
        -- SELECT … FOR UPDATE and then an UPDATE or INSERT: an upsert for '*', an upsert that only replaces an expired
        -- row for create-only, an eTag-conditioned UPDATE otherwise; each locks its row as the pair did, and a row
        -- count of zero is the conflict (a losing creator sees the winner's row, never a unique violation). A releasing
        -- write deletes its own lease row first: the DELETE is the fence check (it matches only the live token) and the
        -- row lock in one, where v2 took FOR SHARE and deleted afterwards. Same answers as v1/v2 for every case.
        -- force_generic_plan (here and in begin_v2): PL/pgSQL's statements otherwise kept custom plans, so every call
        -- planned each statement again (a third of the functions' instructions under callgrind); every statement here
        -- is a primary-key lookup, whose generic plan is the same index scan.
        CREATE OR REPLACE FUNCTION {{table}}_write_v3(
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[],
            p_now timestamptz, p_fence_conversation text, p_fence_token bigint, p_release boolean)
        RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
        DECLARE
            i integer;
        BEGIN
            IF p_fence_conversation IS NOT NULL THEN
                IF p_release THEN
                    DELETE FROM {{table}}_leases
                        WHERE conversation = p_fence_conversation AND token = p_fence_token AND expires_at > p_now;
                ELSE
                    PERFORM 1 FROM {{table}}_leases
                        WHERE conversation = p_fence_conversation AND token = p_fence_token AND expires_at > p_now FOR SHARE;
                END IF;
                IF NOT FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'AB002', MESSAGE = 'lease lost';
                END IF;
            END IF;
            FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
                IF p_expected[i] = '*' THEN
                    INSERT INTO {{table}} AS s (key, etag, document, expires_at) VALUES (p_keys[i], p_etags[i], p_documents[i], p_expires[i])
                        ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, document = EXCLUDED.document, expires_at = EXCLUDED.expires_at;
                ELSIF p_expected[i] IS NULL THEN
                    INSERT INTO {{table}} AS s (key, etag, document, expires_at) VALUES (p_keys[i], p_etags[i], p_documents[i], p_expires[i])
                        ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, document = EXCLUDED.document, expires_at = EXCLUDED.expires_at
                        WHERE s.expires_at IS NOT NULL AND s.expires_at <= p_now;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION USING ERRCODE = 'AB001', MESSAGE = p_keys[i], HINT = 'exists';
                    END IF;
                ELSE
                    UPDATE {{table}} SET etag = p_etags[i], document = p_documents[i], expires_at = p_expires[i]
                        WHERE key = p_keys[i] AND etag = p_expected[i] AND (expires_at IS NULL OR expires_at > p_now);
                    IF NOT FOUND THEN
                        RAISE EXCEPTION USING ERRCODE = 'AB001', MESSAGE = p_keys[i], HINT = CASE WHEN EXISTS (
                            SELECT 1 FROM {{table}} WHERE key = p_keys[i] AND (expires_at IS NULL OR expires_at > p_now)) THEN 'exists' ELSE 'absent' END;
                    END IF;
                END IF;
            END LOOP;
        END
        $fn$;
        -- begin_v1 plus the refusal keys, and no sub-transaction (issue 22):
        -- * p_refuse: if any of these keys is live, nothing is taken or written and one row with a null token comes back
        --   (/api/messages: the conversation belongs to an authenticated ingress; that read was a round trip of its own);
        -- * the claim's conditions are checked before it is written, so a conflicting claim (a redelivery) writes nothing
        --   without a sub-transaction to undo it; a writer slipping in between (unfenced: the lease is ours) makes write_v3
        --   raise, the whole statement rolls back, lease included, and the caller simply starts again;
        -- * the claim is written unfenced: the lease was taken by this very statement, so checking it again proves nothing.
        CREATE OR REPLACE FUNCTION {{table}}_begin_v2(
            p_conversation text, p_holder text, p_until timestamptz, p_now timestamptz,
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[], p_read text[], p_refuse text[])
        RETURNS TABLE (o_token bigint, o_claimed boolean, o_key text, o_etag text, o_document text, o_expires timestamptz)
        LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
        DECLARE
            v_token bigint;
            v_claimed boolean;
        BEGIN
            IF coalesce(array_length(p_refuse, 1), 0) > 0 AND EXISTS (
                SELECT 1 FROM {{table}} WHERE key = ANY(p_refuse) AND (expires_at IS NULL OR expires_at > p_now)) THEN
                RETURN QUERY SELECT NULL::bigint, NULL::boolean, NULL::text, NULL::text, NULL::text, NULL::timestamptz;
                RETURN;
            END IF;
            INSERT INTO {{table}}_leases AS l (conversation, token, holder, expires_at)
                VALUES (p_conversation, nextval('{{table}}_lease_token'), p_holder, p_until)
                ON CONFLICT (conversation) DO UPDATE SET token = EXCLUDED.token, holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE l.expires_at <= p_now
                RETURNING l.token INTO v_token;
            IF v_token IS NULL THEN
                RETURN;
            END IF;
            IF coalesce(array_length(p_keys, 1), 0) > 0 THEN
                v_claimed := NOT EXISTS (
                    SELECT 1 FROM unnest(p_keys, p_expected) AS c(k, e)
                        LEFT JOIN {{table}} s ON s.key = c.k AND (s.expires_at IS NULL OR s.expires_at > p_now)
                        WHERE c.e IS DISTINCT FROM '*' AND CASE WHEN c.e IS NULL THEN s.key IS NOT NULL ELSE s.key IS NULL OR s.etag <> c.e END);
                IF v_claimed THEN
                    PERFORM {{table}}_write_v3(p_keys, p_expected, p_etags, p_documents, p_expires, p_now, NULL, NULL, false);
                END IF;
            END IF;
            RETURN QUERY
                SELECT v_token, v_claimed, NULL::text, NULL::text, NULL::text, NULL::timestamptz
                UNION ALL
                SELECT v_token, v_claimed, s.key::text, s.etag, s.document, s.expires_at FROM {{table}} s
                    WHERE s.key = ANY(p_read) AND (s.expires_at IS NULL OR s.expires_at > p_now);
        END
        $fn$;
        -- begin_v2 that never scans the state table (issue 22). Under force_generic_plan each statement is planned once
        -- per connection, from the table's statistics at that moment; on a new or small table begin_v2's refusal check
        -- (an EXISTS, planned for its first row) and its claim check (a join of the claim's keys with the table) came
        -- out as sequential scans of the whole table, kept while the table grew: most of the database's time per turn
        -- in the bench. Every statement here reads by primary key, so enable_seqscan = off only rules out the plans
        -- that read everything, and the claim's conditions are checked key by key instead of in a join.
        CREATE OR REPLACE FUNCTION {{table}}_begin_v3(
            p_conversation text, p_holder text, p_until timestamptz, p_now timestamptz,
            p_keys text[], p_expected text[], p_etags text[], p_documents text[], p_expires timestamptz[], p_read text[], p_refuse text[])
        RETURNS TABLE (o_token bigint, o_claimed boolean, o_key text, o_etag text, o_document text, o_expires timestamptz)
        LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
        DECLARE
            v_token bigint;
            v_claimed boolean;
            v_etag text;
            i integer;
        BEGIN
            IF coalesce(array_length(p_refuse, 1), 0) > 0 AND EXISTS (
                SELECT 1 FROM {{table}} WHERE key = ANY(p_refuse) AND (expires_at IS NULL OR expires_at > p_now)) THEN
                RETURN QUERY SELECT NULL::bigint, NULL::boolean, NULL::text, NULL::text, NULL::text, NULL::timestamptz;
                RETURN;
            END IF;
            INSERT INTO {{table}}_leases AS l (conversation, token, holder, expires_at)
                VALUES (p_conversation, nextval('{{table}}_lease_token'), p_holder, p_until)
                ON CONFLICT (conversation) DO UPDATE SET token = EXCLUDED.token, holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE l.expires_at <= p_now
                RETURNING l.token INTO v_token;
            IF v_token IS NULL THEN
                RETURN;
            END IF;
            IF coalesce(array_length(p_keys, 1), 0) > 0 THEN
                v_claimed := true;
                FOR i IN 1 .. array_length(p_keys, 1) LOOP
                    CONTINUE WHEN p_expected[i] = '*';
                    SELECT etag INTO v_etag FROM {{table}} WHERE key = p_keys[i] AND (expires_at IS NULL OR expires_at > p_now);
                    IF (p_expected[i] IS NULL AND FOUND) OR (p_expected[i] IS NOT NULL AND (NOT FOUND OR v_etag <> p_expected[i])) THEN
                        v_claimed := false;
                        EXIT;
                    END IF;
                END LOOP;
                IF v_claimed THEN
                    PERFORM {{table}}_write_v3(p_keys, p_expected, p_etags, p_documents, p_expires, p_now, NULL, NULL, false);
                END IF;
            END IF;
            RETURN QUERY
                SELECT v_token, v_claimed, NULL::text, NULL::text, NULL::text, NULL::timestamptz
                UNION ALL
                SELECT v_token, v_claimed, s.key::text, s.etag, s.document, s.expires_at FROM {{table}} s
                    WHERE s.key = ANY(p_read) AND (s.expires_at IS NULL OR s.expires_at > p_now);
        END
        $fn$;
        -- A read of several keys (issue 22): the statement ReadAsync sent before, planned once per connection here. Sent
        -- as it was, `key = ANY($1)` kept a custom plan, made anew on every call (the generic plan assumes ten keys and
        -- looks dearer than one for the call's own); enable_seqscan = off for the reason given at begin_v3. STABLE: it
        -- reads with the calling statement's snapshot, so all keys come from one moment as before.
        CREATE OR REPLACE FUNCTION {{table}}_read_v1(p_keys text[], p_now timestamptz)
        RETURNS TABLE (o_key text, o_etag text, o_document text, o_expires timestamptz)
        LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
        BEGIN
            RETURN QUERY SELECT s.key::text, s.etag, s.document, s.expires_at FROM {{table}} s
                WHERE s.key = ANY(p_keys) AND (s.expires_at IS NULL OR s.expires_at > p_now);
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
