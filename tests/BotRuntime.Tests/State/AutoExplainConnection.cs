using System.Collections.Concurrent;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// A connection of its own (not pooled, so auto_explain stays on it and goes away with it) on which PostgreSQL reports
/// the plan of every statement it runs, those inside functions included, as notices collected in <see cref="Notices"/>.
/// </summary>
internal sealed class AutoExplainConnection : IAsyncDisposable
{
    private AutoExplainConnection(NpgsqlConnection connection) => Connection = connection;

    public NpgsqlConnection Connection { get; }

    public ConcurrentQueue<string> Notices { get; } = new();

    public static async Task<AutoExplainConnection> OpenAsync()
    {
        var explained = new AutoExplainConnection(new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { Pooling = false }.ConnectionString));
        explained.Connection.Notice += (_, e) => explained.Notices.Enqueue(e.Notice.MessageText);
        await explained.Connection.OpenAsync();
        await using var explain = new NpgsqlCommand(
            "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice",
            explained.Connection);
        await explain.ExecuteNonQueryAsync();
        return explained;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
