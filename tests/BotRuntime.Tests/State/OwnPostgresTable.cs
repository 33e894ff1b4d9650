using BotRuntime.State;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// For a test class whose tests each need PostgreSQL tables of their own in the test database (ARIABOT_TEST_POSTGRES):
/// a fresh table name per test, a data source over the database (null when none is configured: the tests skip), and
/// everything the store creates for that table dropped after the test.
/// </summary>
public abstract class OwnPostgresTable(string prefix) : IAsyncLifetime
{
    /// <summary>The store's table name for this test (the store names its lease table, sequence and functions after it).</summary>
    protected string Table { get; } = prefix + "_" + Guid.NewGuid().ToString("N")[..24];

    protected NpgsqlDataSource? DataSource { get; private set; }

    public virtual Task InitializeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is { } connectionString)
        {
            DataSource = PostgresStorage.CreateDataSource(connectionString);
        }
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await using (var drop = DataSource.CreateCommand($"DROP TABLE IF EXISTS {Table}, {Table}_leases; DROP SEQUENCE IF EXISTS {Table}_lease_token; DROP FUNCTION IF EXISTS {Table}_write_v1, {Table}_write_v2, {Table}_begin_v1, {Table}_write_v3, {Table}_begin_v2, {Table}_begin_v3, {Table}_read_v1"))
            {
                await drop.ExecuteNonQueryAsync();
            }
            await DataSource.DisposeAsync();
        }
    }

    /// <summary>Skips the test when no database is configured.</summary>
    protected void RequireDatabase() => Skip.If(DataSource is null, PostgresTestDatabase.SkipReason);

    /// <summary>A store over this test's table with a data source of its own, as another instance (process) would have.</summary>
    protected PostgresStorage NewInstanceStorage() =>
        new(PostgresStorage.CreateDataSource(PostgresTestDatabase.ConnectionString!), TimeProvider.System, Table);
}
