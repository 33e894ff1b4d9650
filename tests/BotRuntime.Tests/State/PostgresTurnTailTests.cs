using System.Net;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.State;

/// <summary>
/// The unfenced tail of a turn on PostgreSQL (issue 22). The closing write gives the lease back, so another instance
/// may start the conversation's next activity before this turn's caller has finished. The Direct Line pump's removal of
/// the inbox entry it ran (<c>CompleteInboxAsync</c>) was the one store write traced after it; the entry now ends in the
/// closing write, and the separate removal is left for an activity answered from an earlier record. Until an entry is
/// removed another instance's pump may pick it up again. It
/// is safe because the done record commits in the same statement that frees the lease: whoever takes the lease next
/// finds the activity answered and never runs it again. Pinned here with two instances on one table.
/// </summary>
public sealed class PostgresTurnTailTests() : OwnPostgresTable("turntail")
{
    [SkippableFact]
    public async Task An_activity_another_instance_picks_up_right_after_the_closing_write_is_answered_from_its_record_and_never_runs_twice()
    {
        RequireDatabase();
        var runs = 0;
        await using var a = await StartInstanceAsync(() => Interlocked.Increment(ref runs));
        await using var b = await StartInstanceAsync(() => Interlocked.Increment(ref runs));

        var first = await a.PostAsync(BotTestHost.Message("hi", id: "m1", conversation: "tail"));
        Assert.Equal("turn 1", Assert.Single(await BotTestHost.RepliesAsync(first)).Text);

        // Instance B sees the same activity still queued (A has not removed its inbox entry yet) and runs it: the lease
        // is free, but the done record came with its release.
        var again = await b.PostAsync(BotTestHost.Message("hi", id: "m1", conversation: "tail"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("turn 1", Assert.Single(await BotTestHost.RepliesAsync(again)).Text);
        Assert.Equal(1, runs);

        // The conversation goes on from A's state on B.
        var next = await b.PostAsync(BotTestHost.Message("hi", id: "m2", conversation: "tail"));
        Assert.Equal("turn 2", Assert.Single(await BotTestHost.RepliesAsync(next)).Text);
        Assert.Equal(2, runs);
    }

    private async Task<BotTestHost> StartInstanceAsync(Action ran)
    {
        var storage = NewInstanceStorage();
        return await BotTestHost.StartAsync(new CounterBot(null, ran),
            settings: new() { ["Bot:InstanceLease"] = "00:10:00" },
            configure: builder =>
            {
                builder.Services.AddSingleton<IStorage>(storage);
                builder.Services.AddSingleton<IBot>(services => new CounterBot(services.GetRequiredService<ConversationState>(), ran));
            });
    }

    private sealed class CounterBot(ConversationState? state, Action ran) : IBot
    {
        private readonly IStatePropertyAccessor<int>? _turns = state?.CreateProperty<int>("turns");

        public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            if (_turns is null || !turnContext.Activity.IsType(ActivityTypes.Message))
            {
                return;
            }
            ran();
            var turns = await _turns.GetAsync(turnContext, () => 0, cancellationToken) + 1;
            await _turns.SetAsync(turnContext, turns, cancellationToken);
            await turnContext.SendActivityAsync($"turn {turns}", cancellationToken: cancellationToken);
        }
    }
}
