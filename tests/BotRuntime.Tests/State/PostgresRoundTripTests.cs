using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.State;

/// <summary>
/// What one turn costs PostgreSQL, counted from Npgsql's own trace of every command it sends (issue 22): one round
/// trip per read and one per write (the eTag-checked write function, a single statement in its own implicit
/// transaction — no BEGIN/COMMIT pairs, no SELECT … FOR UPDATE from the client), plus the conversation's lease taken
/// and given back: five in all for a turn that reads and saves its state.
/// </summary>
public sealed class PostgresRoundTripTests() : OwnPostgresTable("roundtrip")
{
    [SkippableFact]
    public async Task A_turn_that_reads_and_saves_its_state_costs_five_round_trips_and_no_explicit_transaction()
    {
        RequireDatabase();
        var storage = NewInstanceStorage();
        await using var host = await BotTestHost.StartAsync(new CounterBot(null),
            // A long instance lease: its heartbeat (a write every third of it) never falls inside the counted turn.
            settings: new() { ["Bot:InstanceLease"] = "00:10:00" },
            configure: builder =>
            {
                builder.Services.AddSingleton<IStorage>(storage);
                builder.Services.AddSingleton<IBot>(services => new CounterBot(services.GetRequiredService<ConversationState>()));
            });
        // The first turn creates the schema and warms the pool; the second conversation's first turn is what is counted.
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(BotTestHost.Message("hi", id: "w1", conversation: "warm"))).StatusCode);

        using var trace = new NpgsqlCommandTrace(Table);
        var response = await host.PostAsync(BotTestHost.Message("hi", id: "m1", conversation: "counted"));
        Assert.Equal("turn 1", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
        var commands = trace.Commands;

        Assert.Equal(1, commands.Count(sql => sql.Contains($"INSERT INTO {Table}_leases", StringComparison.Ordinal)));
        Assert.Equal(1, commands.Count(sql => sql.Contains("SELECT key, etag, document, expires_at", StringComparison.Ordinal)));
        // The delivery claim before the turn runs, then the state, the done record and the marker's end in one write.
        Assert.Equal(2, commands.Count(sql => sql.Contains($"{Table}_write_v1", StringComparison.Ordinal)));
        Assert.Equal(1, commands.Count(sql => sql.Contains($"DELETE FROM {Table}_leases", StringComparison.Ordinal)));
        Assert.Equal(5, commands.Count);
        Assert.DoesNotContain(commands, sql => sql.Contains("BEGIN", StringComparison.OrdinalIgnoreCase) || sql.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase));

        // The saved state is really there: the next turn of the conversation counts on from it.
        var next = await host.PostAsync(BotTestHost.Message("hi", id: "m2", conversation: "counted"));
        Assert.Equal("turn 2", Assert.Single(await BotTestHost.RepliesAsync(next)).Text);
    }

    private sealed class CounterBot(ConversationState? state) : IBot
    {
        private readonly IStatePropertyAccessor<int>? _turns = state?.CreateProperty<int>("turns");

        public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            if (_turns is null || !turnContext.Activity.IsType(ActivityTypes.Message))
            {
                return;
            }
            var turns = await _turns.GetAsync(turnContext, () => 0, cancellationToken) + 1;
            await _turns.SetAsync(turnContext, turns, cancellationToken);
            await turnContext.SendActivityAsync($"turn {turns}", cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Every command Npgsql sends that names <c>table</c> (its trace: one activity per command, so one per round trip),
    /// from creation to disposal. Other tests' tables never match.
    /// </summary>
    private sealed class NpgsqlCommandTrace : IDisposable
    {
        private readonly ConcurrentQueue<string> _commands = new();
        private readonly ActivityListener _listener;

        public NpgsqlCommandTrace(string table)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    var sql = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string;
                    if (sql is not null && sql.Contains(table, StringComparison.Ordinal))
                    {
                        _commands.Enqueue(sql);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<string> Commands => [.. _commands];

        public void Dispose() => _listener.Dispose();
    }
}
