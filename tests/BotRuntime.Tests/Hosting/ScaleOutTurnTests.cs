using System.Net;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Tests.State;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// Two bot instances (two hosts, each with its own in-process locks) over one PostgreSQL: one conversation's turns,
/// sent alternately and concurrently to both, run one at a time — no lost update, every turn answered once — and a
/// turn whose lease was taken over saves nothing and is not run again.
/// </summary>
public sealed class ScaleOutTurnTests() : OwnPostgresTable("scaleout")
{
    /// <summary>One instance: its own data source and store object over the shared table, as another process would have.</summary>
    private Task<BotTestHost> StartInstanceAsync(Tally tally) => BotTestHost.StartAsync(new RecordingBot(),
        settings: new() { ["Bot:TurnQueueTimeout"] = "00:01:00" },
        configure: builder =>
        {
            builder.Services.AddSingleton<IStorage>(NewInstanceStorage());
            builder.Services.AddSingleton<IBot>(services => new CountingBot(services.GetRequiredService<ConversationState>(), tally));
        });

    [SkippableFact]
    public async Task Turns_sent_alternately_and_concurrently_to_two_instances_run_one_at_a_time_with_no_lost_update()
    {
        RequireDatabase();
        var bot = new Tally();
        await using var a = await StartInstanceAsync(bot);
        await using var b = await StartInstanceAsync(bot);
        var instances = new[] { a, b };

        const int Turns = 20;
        var responses = await Task.WhenAll(Enumerable.Range(0, Turns).Select(i =>
            instances[i % 2].PostAsync(BotTestHost.Message($"m{i}", id: $"a{i}"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var replies = new List<string>();
        foreach (var response in responses)
        {
            replies.Add(Assert.Single(await BotTestHost.RepliesAsync(response)).Text!);
        }
        // Every turn saw the count the one before it saved: 1..20, each exactly once, whichever instance ran it.
        Assert.Equal(Enumerable.Range(1, Turns).Select(n => $"count {n}"), replies.OrderBy(text => int.Parse(text[6..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1, bot.MostAtOnce);

        // A redelivery to the other instance is answered from the first outcome and does not run again.
        var again = await b.PostAsync(BotTestHost.Message("m0", id: "a0"));
        Assert.Equal(replies[0], Assert.Single(await BotTestHost.RepliesAsync(again)).Text);
        Assert.Equal(Turns, bot.Runs);
    }

    [SkippableFact]
    public async Task A_turn_whose_lease_is_taken_over_mid_turn_saves_nothing_and_is_not_run_again()
    {
        RequireDatabase();
        var shared = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        long? takenOver = null;
        var bot = new Tally
        {
            // Mid-turn, the instance stalls past its lease and another instance takes the conversation over.
            OnSecondTurn = async conversationKey =>
            {
                if (takenOver is not null)
                {
                    return; // once
                }
                await using (var expire = DataSource!.CreateCommand($"UPDATE {Table}_leases SET expires_at = '-infinity' WHERE conversation = $1"))
                {
                    expire.Parameters.AddWithValue(conversationKey);
                    await expire.ExecuteNonQueryAsync();
                }
                takenOver = await shared.TryAcquireAsync(conversationKey, "other-instance", TimeSpan.FromSeconds(30), default);
                Assert.NotNull(takenOver);
            },
        };
        await using var host = await StartInstanceAsync(bot);

        var first = await host.PostAsync(BotTestHost.Message("one", id: "a1"));
        Assert.Equal("count 1", Assert.Single(await BotTestHost.RepliesAsync(first)).Text);

        // The turn's save is refused; the runtime's error handler answers for it (what the turn sent before is already out).
        var stalled = await host.PostAsync(BotTestHost.Message("two", id: "a2"));
        var stalledBody = await stalled.Content.ReadAsStringAsync();
        // The other instance's turn ends.
        await shared.ReleaseAsync("test/c1", takenOver!.Value, default);

        // Its state change was refused: the conversation still holds what the first turn saved.
        var state = await shared.ReadPrefixAsync("test/conversations/c1", 10);
        Assert.Contains(state, item => item.Value.Document.GetRawText().Contains("\"count\":1", StringComparison.Ordinal));
        Assert.DoesNotContain(state, item => item.Value.Document.GetRawText().Contains("\"count\":2", StringComparison.Ordinal));
        // And a redelivery of it never runs it again (it may have called the back end).
        var runs = bot.Runs;
        var redelivered = await host.PostAsync(BotTestHost.Message("two", id: "a2"));
        Assert.Equal(stalled.StatusCode, redelivered.StatusCode);
        Assert.Equal(stalledBody, await redelivered.Content.ReadAsStringAsync());
        Assert.Equal(runs, bot.Runs);

        // The conversation goes on from the last saved state.
        var next = await host.PostAsync(BotTestHost.Message("three", id: "a3"));
        Assert.Equal(["count 2"], (await BotTestHost.RepliesAsync(next)).Select(reply => reply.Text));
    }

    /// <summary>What the instances' bots saw, together.</summary>
    private sealed class Tally
    {
        private int _inside;
        private int _most;
        private int _runs;

        public Func<string, Task>? OnSecondTurn { get; init; }

        public int MostAtOnce => Volatile.Read(ref _most);

        public int Runs => Volatile.Read(ref _runs);

        public int Enter()
        {
            Interlocked.Increment(ref _runs);
            var now = Interlocked.Increment(ref _inside);
            int seen;
            while ((seen = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, seen) != seen)
            {
            }
            return now;
        }

        public void Leave() => Interlocked.Decrement(ref _inside);
    }

    /// <summary>Counts turns in conversation state, slowly enough that overlapping turns would lose updates.</summary>
    private sealed class CountingBot(ConversationState state, Tally tally) : IBot
    {
        private readonly IStatePropertyAccessor<int> _count = state.CreateProperty<int>("count");

        public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            if (!turnContext.Activity.IsType(ActivityTypes.Message))
            {
                return;
            }
            tally.Enter();
            try
            {
                var count = await _count.GetAsync(turnContext, () => 0, cancellationToken) + 1;
                if (count == 2 && tally.OnSecondTurn is { } stall)
                {
                    await stall(turnContext.Activity.ConversationKey);
                }
                await Task.Delay(10, cancellationToken);
                await _count.SetAsync(turnContext, count, cancellationToken);
                await turnContext.SendActivityAsync($"count {count}", cancellationToken: cancellationToken);
            }
            finally
            {
                tally.Leave();
            }
        }
    }
}
