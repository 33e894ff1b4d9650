using System.Text.Json;
using BotRuntime.State;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// The store's plain reads are not planned again on every call (issue 22). Sent as <c>key = ANY($1)</c>, a read kept a
/// custom plan for ever: the generic plan assumes ten keys and always looks dearer than a custom plan for the call's own
/// one or nine, so the server planned each call anew (<c>pg_prepared_statements</c>: custom plans = calls). One key is
/// now <c>key = $1</c>, more go through <c>{table}_read_v1</c> with <c>SET plan_cache_mode = force_generic_plan</c>.
/// Both tests need a table with rows and statistics: on an almost empty one the generic plan wins anyway.
/// </summary>
public sealed class PostgresReadPlanTests() : OwnPostgresTable("reads")
{
    [SkippableFact]
    public async Task The_store_s_read_statements_settle_on_their_generic_plans()
    {
        RequireDatabase();
        // One connection, kept (no reset on close): the store's auto-prepared statements and their plan counts stay on it.
        await using var dataSource = PostgresStorage.CreateDataSource(
            new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        var store = new PostgresStorage(dataSource, TimeProvider.System, Table);
        await FillAsync(store);

        for (var call = 0; call < 12; call++)
        {
            Assert.Single(await store.ReadAsync([$"filler/{call}"]));
            Assert.Equal(2, (await store.ReadAsync([$"filler/{call}", $"filler/{call + 100}", "absent"])).Count);
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var plans = new NpgsqlCommand(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'SELECT %' || $1 || '%' AND statement NOT LIKE '%write_v%'", connection);
        plans.Parameters.AddWithValue(Table);
        var reads = new List<(string Statement, long Generic, long Custom)>();
        await using (var reader = await plans.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                reads.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }
        // Both kinds of read were prepared (each ran 12 times, prepared from the second); the server tries five custom plans before it compares, and a
        // statement that keeps custom plans (as `key = ANY($1)` did) has one per call.
        Assert.NotEmpty(reads);
        foreach (var read in reads)
        {
            Assert.True(read.Custom <= 5 && read.Generic >= 5, $"{read.Statement}: {read.Generic} generic, {read.Custom} custom plans");
        }
        Assert.Equal(2, reads.Count);
    }

    [SkippableFact]
    public async Task The_read_function_plans_its_select_once_not_with_each_call_s_keys()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        await FillAsync(store);

        await using var explained = await AutoExplainConnection.OpenAsync();
        var connection = explained.Connection;
        var notices = explained.Notices;
        for (var call = 1; call <= 8; call++)
        {
            notices.Clear();
            var marker = $"call-{call}-{Guid.NewGuid():N}";
            await using var read = new NpgsqlCommand($"SELECT o_key FROM {Table}_read_v1($1, $2)", connection);
            read.Parameters.AddWithValue(new[] { "filler/1", marker });
            read.Parameters.AddWithValue(TimeProvider.System.GetUtcNow());
            Assert.Equal("filler/1", await read.ExecuteScalarAsync());
            if (call < 7)
            {
                continue;
            }
            var nested = notices.Where(notice => !notice.Contains($"Query Text: SELECT o_key FROM {Table}_read_v1", StringComparison.Ordinal)).ToList();
            Assert.Contains(nested, plan => plan.Contains("ANY", StringComparison.Ordinal));
            // A custom plan would show this call's keys as constants.
            Assert.DoesNotContain(nested, plan => plan.Contains(marker, StringComparison.Ordinal));
        }
    }

    private async Task FillAsync(PostgresStorage store)
    {
        // Creates the schema first.
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/present"] = new(JsonSerializer.SerializeToElement(1), null) });
        await using var fill = DataSource!.CreateCommand(
            $"INSERT INTO {Table} (key, etag, document) SELECT 'filler/' || g, 'e', '{{}}' FROM generate_series(0, 4999) g; ANALYZE {Table}");
        await fill.ExecuteNonQueryAsync();
    }
}
