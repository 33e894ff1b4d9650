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
/// What one turn costs PostgreSQL, counted from Npgsql's own trace of every command it sends (issue 22): two round
/// trips for a turn that reads and saves its state, each a single statement in its own implicit transaction (no
/// BEGIN/COMMIT pairs, no SELECT … FOR UPDATE from the client). The first takes the conversation's lease, writes the
/// delivery claim under its token and reads the conversation's state (begin_v3); the second writes the state, the done
/// record and the in-flight marker's end under the token and gives the lease back (write_v3). It was five before:
/// lease, claim, read, write, release.
/// </summary>
public sealed class PostgresRoundTripTests() : OwnPostgresTable("roundtrip")
{
    [SkippableFact]
    public async Task A_turn_that_reads_and_saves_its_state_costs_two_round_trips_and_no_explicit_transaction()
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
        // The incarnation record is written by a background service as the host starts; on a loaded machine that write
        // can still be running after the warm-up turn, and it is no part of the counted turn.
        await WaitForIncarnationRecordAsync(storage);

        using var trace = new NpgsqlCommandTrace(Table);
        var response = await host.PostAsync(BotTestHost.Message("hi", id: "m1", conversation: "counted"));
        Assert.Equal("turn 1", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
        var commands = trace.Commands;

        // Lease, delivery claim (committed before the turn runs) and the state read ahead, in one statement.
        var seen = string.Join("\n", commands);
        Assert.True(1 == commands.Count(sql => sql.Contains($"{Table}_begin_v3", StringComparison.Ordinal)), seen);
        // The state, the done record and the lease's end in one write.
        Assert.True(1 == commands.Count(sql => sql.Contains($"{Table}_write_v3", StringComparison.Ordinal)), seen);
        Assert.True(2 == commands.Count, seen);
        // As words: the begin_v3 function's name is not a BEGIN.
        Assert.DoesNotContain(commands, sql => System.Text.RegularExpressions.Regex.IsMatch(sql, @"\bBEGIN\b|\bFOR\s+UPDATE\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

        // The saved state is really there: the next turn of the conversation counts on from it.
        var next = await host.PostAsync(BotTestHost.Message("hi", id: "m2", conversation: "counted"));
        Assert.Equal("turn 2", Assert.Single(await BotTestHost.RepliesAsync(next)).Text);
    }

    private static async Task WaitForIncarnationRecordAsync(IStorage storage)
    {
        for (var attempt = 0; attempt < 600 && (await storage.ReadPrefixAsync(ProcessIncarnation.KeyPrefix, 1)).Count == 0; attempt++)
        {
            await Task.Delay(50);
        }
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
