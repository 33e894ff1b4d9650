using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an AriaBot turn costs PostgreSQL (issue 22), counted from Npgsql's own trace of every command sent, on the real
/// host over an unauthenticated <c>/api/messages</c> (as the bench drives it). An unsigned "hi" made seven round trips:
/// one read per ingress that might own the conversation (Direct Line, Slack), the turn's start, the session binding
/// three times (customer-activity middleware, session check, held notices), the closing write. Now three: the
/// ownership keys in one read, the start (lease, claim, conversation state and binding read ahead), the closing write.
/// </summary>
public sealed class PostgresAriaTurnRoundTripTests : IAsyncLifetime
{
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
    private readonly string _database = "aria_roundtrip_" + Guid.NewGuid().ToString("N")[..12];
    private AssistantTestHost? _host;

    public async Task InitializeAsync()
    {
        if (Postgres is null)
        {
            return;
        }
        await using (var admin = NpgsqlDataSource.Create(Postgres))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {_database}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;
        _host = new AssistantTestHost(new() { ["State:Provider"] = "Postgres", ["State:PostgresConnectionString"] = connectionString });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (Postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(Postgres);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [SkippableTheory]
    [InlineData("hi")]
    [InlineData("help")]
    [InlineData("what can you do?")]
    public async Task An_unsigned_turn_over_api_messages_costs_three_round_trips(string text)
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        // The first turn creates the schema, warms the pool and starts the conversation.
        Assert.NotEmpty(await ApiMessages.PostAsync(_host!, "warm", "hi"));

        var commands = new ConcurrentQueue<string>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => commands.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? "?"),
        })
        {
            ActivitySource.AddActivityListener(listener);
            Assert.Contains(await ApiMessages.PostAsync(_host!, "counted", text), reply => reply.Type == BotRuntime.Schema.ActivityTypes.Message);
        }

        var sent = commands.ToList();
        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_begin_v1", StringComparison.Ordinal)));
        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_write_v2", StringComparison.Ordinal)));
        // The one plain read: are the Direct Line and Slack ingresses' markers for this conversation there?
        Assert.Equal(1, sent.Count(sql => sql.StartsWith("SELECT key, etag", StringComparison.Ordinal)));
        Assert.True(sent.Count == 3, "commands sent: " + string.Join(" | ", sent));
    }
}
