using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.AspNetCore.TestHost;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// The order a real client shows. DirectLineJS (and so Web Chat) turns every stream frame into an observable that
/// emits one activity per timer tick (RxJS 5 <c>Observable.from(activities, async)</c>) and merges it with the frames
/// after it (<c>flatMap</c>): frames that arrive within one tick of each other interleave, [a, b] then [c] comes out
/// a, c, b. That is how tests/directline-js restart.test.js saw a reply before the message it answers (a replay of
/// several activities in one frame, the bot's next reply right behind it). <see cref="AsDirectLineJsEmits"/> replays that
/// schedule for frames that all arrived before the first tick — the worst case, with no timing in the test.
/// </summary>
public sealed class DirectLineStreamOrderTests
{
    [Fact]
    public async Task A_replay_followed_at_once_by_live_activities_reaches_DirectLineJS_in_the_log_order_one_activity_per_frame()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, started) = await host.StartConversationAsync();
        var first = await host.PostAsync(conversationId, token, "first");
        await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.ReplyToId == first));

        // The stream opens on a log of three (welcome, first, its reply): the replay. Once it is in, a post and its reply
        // go out live, right behind it.
        using var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        List<(List<Activity> Activities, string Watermark)> frames = [];
        await FramesAsync(socket, frames, received => received.Count >= 3);
        var second = await host.PostAsync(conversationId, token, "second");
        await FramesAsync(socket, frames, received => received.Exists(a => a.ReplyToId == second));

        var (log, pollWatermark) = await host.GetAsync(conversationId, token);
        Assert.Equal(5, log.Count);
        Assert.Equal(log.Select(a => a.Id), AsDirectLineJsEmits(frames.Select(frame => frame.Activities).ToList()).Select(a => a.Id));
        Assert.All(frames, frame => Assert.Single(frame.Activities));
        // Each frame's watermark is its activity's own: a client cut off after any frame polls (or reconnects) from there
        // and gets exactly the rest of the log, nothing again and nothing missing.
        foreach (var (frame, index) in frames.Select((frame, index) => (frame, index)))
        {
            Assert.Equal(DirectLineStore.SeqOf(conversationId, frame.Activities[0].Id)?.ToString(System.Globalization.CultureInfo.InvariantCulture), frame.Watermark);
            var (rest, _) = await host.GetAsync(conversationId, token, frame.Watermark);
            Assert.Equal(log.Skip(index + 1).Select(a => a.Id), rest.Select(a => a.Id));
        }
        Assert.Equal(pollWatermark, frames[^1].Watermark);
    }

    /// <summary>DirectLineJS's emission order for frames that all arrived before its first tick: one activity of each pending frame per tick.</summary>
    private static List<Activity> AsDirectLineJsEmits(IReadOnlyList<List<Activity>> frames)
    {
        var pending = frames.Select(frame => new Queue<Activity>(frame)).ToList();
        List<Activity> emitted = [];
        while (pending.Exists(queue => queue.Count > 0))
        {
            foreach (var queue in pending)
            {
                if (queue.TryDequeue(out var activity))
                {
                    emitted.Add(activity);
                }
            }
        }
        return emitted;
    }

    /// <summary>Adds ActivitySet frames (keep-alives skipped) to <paramref name="frames"/> until <paramref name="done"/> holds for all their activities.</summary>
    private static async Task FramesAsync(System.Net.WebSockets.WebSocket socket, List<(List<Activity> Activities, string Watermark)> frames, Func<List<Activity>, bool> done)
    {
        while (!done(frames.SelectMany(frame => frame.Activities).ToList()))
        {
            var text = await DirectLineStreamTests.ReceiveAsync(socket) ?? throw new InvalidOperationException("The stream closed.");
            if (text.Length == 0)
            {
                continue;
            }
            var set = JsonDocument.Parse(text).RootElement;
            var activities = set.GetProperty("activities").Deserialize<List<Activity>>(BotJson.Options)!;
            frames.Add((activities, set.GetProperty("watermark").GetString()!));
        }
    }
}
