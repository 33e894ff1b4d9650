using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using BotRuntime.Hosting;
using BotRuntime.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// A turn that had to wait for its conversation (another turn of it running here, or on another instance over
/// PostgreSQL) shows the wait in its span: the <c>bot.turn</c> span starts when the wait began, carries
/// <c>lease.wait_ms</c>, and has a child span <c>bot.turn.lease_wait</c> of exactly that length.
/// </summary>
public sealed class LeaseWaitTelemetryTests
{
    [Fact]
    public async Task The_turn_span_covers_the_wait_for_the_conversation_and_records_its_length()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var locks = host.App.Services.GetRequiredService<ConversationLocks>();
        // Unique to this test, so spans of tests running alongside are told apart by it.
        const string Conversation = "lease-wait-conversation";
        var key = $"test/{Conversation}";

        var held = await locks.TryAcquireAsync(key, TimeSpan.FromSeconds(5), default);
        Assert.NotNull(held);
        var turn = host.PostAsync(BotTestHost.Message("hi", id: "w1", conversation: Conversation));
        for (var i = 0; i < 3000 && locks.HoldersAndWaiters(key) < 2; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(2, locks.HoldersAndWaiters(key));
        // The earlier turn runs 4 s (on the fake clock) while this one waits.
        clock.Advance(TimeSpan.FromSeconds(4));
        await held.DisposeAsync();
        Assert.Equal(HttpStatusCode.OK, (await turn).StatusCode);

        var waited = spans.Where(span => span.OperationName == "bot.turn" && span.GetTagItem("lease.wait_ms") is double ms && ms >= 4000).ToList();
        var turnSpan = Assert.Single(waited);
        Assert.Equal(4000d, turnSpan.GetTagItem("lease.wait_ms"));
        var child = Assert.Single(spans, span => span.OperationName == "bot.turn.lease_wait" && span.ParentSpanId == turnSpan.SpanId);
        Assert.Equal(TimeSpan.FromSeconds(4), child.Duration);
        Assert.Equal(turnSpan.StartTimeUtc, child.StartTimeUtc);
        Assert.True(turnSpan.Duration >= TimeSpan.FromSeconds(4), "the turn's span covers the wait");
    }
}
