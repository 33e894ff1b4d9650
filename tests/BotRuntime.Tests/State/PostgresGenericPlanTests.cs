using System.Text.Json;
using BotRuntime.State;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// The turn's functions are not planned again on every call (issue 22). PL/pgSQL keeps a custom plan, made anew per call
/// with the arguments' values folded in, for a statement whose generic plan looks dearer: begin_v3's refusal check and
/// its read-ahead (<c>key = ANY(array)</c>: the generic plan assumes ten keys, the custom one sees two) were planned on
/// every turn — under pg_stat_statements, plans = calls for those two statements, planning several times their
/// execution. <c>SET plan_cache_mode = force_generic_plan</c> on the functions plans each statement once per connection
/// (without it the database's CPU per turn was about half as much again: bench/README, branch x/pgfn). Seen here with
/// auto_explain on one connection: after the plan cache has settled, no plan of a statement inside the functions
/// carries the call's own keys as constants, as a custom plan would. Fails when the SET clause is taken away.
/// </summary>
public sealed class PostgresGenericPlanTests() : OwnPostgresTable("plans")
{
    [SkippableFact]
    public async Task The_statements_in_begin_and_write_are_not_planned_again_with_each_call_s_values()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        // Creates the schema (the functions) and a row for the read-ahead to find.
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/present"] = new(JsonSerializer.SerializeToElement(1), null) });

        // A table with rows and statistics, as in service: on an almost empty one the planner takes the generic plan anyway.
        await using (var fill = DataSource!.CreateCommand(
            $"INSERT INTO {Table} (key, etag, document) SELECT 'filler/' || g, 'e', '{{}}' FROM generate_series(1, 5000) g; ANALYZE {Table}"))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using var explained = await AutoExplainConnection.OpenAsync();
        var connection = explained.Connection;
        var notices = explained.Notices;

        // PL/pgSQL's plan cache makes its choice after five custom plans; the calls after that show what it settled on.
        for (var call = 1; call <= 8; call++)
        {
            notices.Clear();
            var marker = $"call-{call}-{Guid.NewGuid():N}";
            await BeginAndCloseAsync(connection, marker);
            if (call < 7)
            {
                continue;
            }
            // The two statements this test sends are planned by the client's own rules; only the ones inside count.
            var nested = notices.Where(notice => !notice.Contains("Query Text: SELECT o_token", StringComparison.Ordinal)
                && !notice.Contains($"Query Text: SELECT {Table}_write_v3($1", StringComparison.Ordinal)).ToList();
            // auto_explain really reported the statements inside the functions (the lease upsert, the claim, the reads).
            Assert.Contains(nested, plan => plan.Contains($"{Table}_leases", StringComparison.Ordinal));
            Assert.Contains(nested, plan => plan.Contains("ANY", StringComparison.Ordinal));
            // A custom plan would show this call's keys as constants.
            Assert.DoesNotContain(nested, plan => plan.Contains(marker, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// A generic plan is made once per connection from the table's statistics of that moment. begin_v2 checked the claim's
    /// conditions in a join of its keys with the table, which on a new (or small) table the planner made a hash join over
    /// a sequential scan of the whole table, kept while the table grew: most of the database's time per turn in the bench.
    /// begin_v3 looks each key up by primary key. Fails on begin_v2 (the plan reads the whole table).
    /// </summary>
    [SkippableFact]
    public async Task The_turn_s_start_reads_the_state_table_by_key_even_when_planned_on_an_empty_table()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/present"] = new(JsonSerializer.SerializeToElement(1), null) });
        await using var explained = await AutoExplainConnection.OpenAsync();
        var connection = explained.Connection;
        var notices = explained.Notices;

        for (var call = 1; call <= 8; call++)
        {
            notices.Clear();
            await BeginAndCloseAsync(connection, $"call-{call}-{Guid.NewGuid():N}");
        }
        // The claim's check ran (a create-only key) and was reported; none of the statements scans the state table.
        Assert.Contains(notices, plan => plan.Contains($"Index Scan using {Table}_pkey", StringComparison.Ordinal));
        Assert.DoesNotContain(notices, plan => plan.Contains($"Seq Scan on {Table} ", StringComparison.Ordinal));
    }

    /// <summary>One turn as the store makes it: begin_v3 with refusal keys, a claim and a read-ahead; write_v3 releasing.</summary>
    private async Task BeginAndCloseAsync(NpgsqlConnection connection, string marker)
    {
        var now = TimeProvider.System.GetUtcNow();
        var conversation = "conv/" + marker;
        var delivery = "deliveries/" + marker;
        long token;
        await using (var begin = new NpgsqlCommand(
            $"SELECT o_token FROM {Table}_begin_v3($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) LIMIT 1", connection))
        {
            begin.Parameters.AddWithValue(conversation);
            begin.Parameters.AddWithValue("holder");
            begin.Parameters.AddWithValue(now.AddSeconds(15));
            begin.Parameters.AddWithValue(now);
            begin.Parameters.AddWithValue(new[] { delivery });
            begin.Parameters.AddWithValue(new string?[] { null });
            begin.Parameters.AddWithValue(new[] { "e1" });
            begin.Parameters.AddWithValue(new[] { "{}" });
            begin.Parameters.AddWithValue(new DateTime?[] { null });
            begin.Parameters.AddWithValue(new[] { "state/" + marker, "state/present" });
            begin.Parameters.AddWithValue(new[] { "dl/c/" + marker, "slack/" + marker });
            token = (long)(await begin.ExecuteScalarAsync())!;
        }
        await using var close = new NpgsqlCommand($"SELECT {Table}_write_v3($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection);
        close.Parameters.AddWithValue(new[] { delivery, "state/" + marker });
        close.Parameters.AddWithValue(new string?[] { "e1", null });
        close.Parameters.AddWithValue(new[] { "e2", "e3" });
        close.Parameters.AddWithValue(new[] { "{}", "{}" });
        close.Parameters.AddWithValue(new DateTime?[] { null, null });
        close.Parameters.AddWithValue(now);
        close.Parameters.AddWithValue(conversation);
        close.Parameters.AddWithValue(token);
        close.Parameters.AddWithValue(true);
        await close.ExecuteNonQueryAsync();
    }
}
