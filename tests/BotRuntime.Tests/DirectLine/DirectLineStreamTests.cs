using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.DirectLine;

public sealed class DirectLineStreamTests
{
    /// <summary>Reads one frame: null for a close, "" for a keep-alive, else the ActivitySet JSON.</summary>
    internal static async Task<string?> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Collects activities from ActivitySet frames (skipping keep-alives) until <paramref name="done"/> holds.</summary>
    internal static async Task<(List<Activity> Activities, string Watermark)> CollectAsync(WebSocket socket, Func<List<Activity>, bool> done)
    {
        List<Activity> activities = [];
        var watermark = "";
        while (!done(activities))
        {
            var frame = await ReceiveAsync(socket) ?? throw new InvalidOperationException("The stream closed.");
            if (frame.Length == 0)
            {
                continue;
            }
            var set = JsonDocument.Parse(frame).RootElement;
            Assert.Equal(["activities", "watermark"], set.EnumerateObject().Select(property => property.Name));
            activities.AddRange(set.GetProperty("activities").Deserialize<List<Activity>>(BotJson.Options)!);
            watermark = set.GetProperty("watermark").GetString()!;
        }
        return (activities, watermark);
    }

    [Fact]
    public async Task The_stream_replays_from_the_watermark_then_pushes_echoes_replies_and_typing_with_keep_alives_between()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), new() { ["DirectLine:KeepAliveInterval"] = "00:00:00.300" });
        var (conversationId, token, started) = await host.StartConversationAsync();
        await host.WaitForAsync(conversationId, token, activities => activities.Count == 1);

        using var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        var (replayed, _) = await CollectAsync(socket, activities => activities.Count >= 1);
        Assert.StartsWith("welcome dl_", replayed[0].Text, StringComparison.Ordinal);
        Assert.Equal("", await ReceiveAsync(socket));

        var id = await host.PostAsync(conversationId, token, "typing", clientActivityId: "c-typing");
        var (pushed, watermark) = await CollectAsync(socket, activities => activities.Exists(a => a.ReplyToId == id && a.IsType(ActivityTypes.Message)));
        Assert.Equal("c-typing", pushed[0].ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Equal(id, pushed[0].Id);
        Assert.Equal([ActivityTypes.Message, ActivityTypes.Typing, ActivityTypes.Message], pushed.Select(activity => activity.Type));
        var (log, pollWatermark) = await host.GetAsync(conversationId, token);
        Assert.Equal(pollWatermark, watermark);
        Assert.DoesNotContain(log, activity => activity.IsType(ActivityTypes.Typing));
    }

    [Fact]
    public async Task A_second_stream_of_the_conversation_closes_the_first_with_collision_and_reconnect_resumes_from_the_watermark()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, started) = await host.StartConversationAsync();
        var client = host.App.GetTestServer().CreateWebSocketClient();
        using var first = await client.ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        var (greeting, watermark) = await CollectAsync(first, activities => activities.Count >= 1);

        var reconnect = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversationId}?watermark={watermark}", token));
        Assert.Equal(["conversationId", "token", "expires_in", "streamUrl"], reconnect.EnumerateObject().Select(property => property.Name));
        var streamUrl = reconnect.GetProperty("streamUrl").GetString()!;
        Assert.Contains($"watermark={watermark}&t=", streamUrl, StringComparison.Ordinal);

        await host.PostAsync(conversationId, token, "while switching");
        using var second = await client.ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        while (await ReceiveAsync(first) is not null)
        {
            // the post's echo and reply may still reach the first stream before it is closed
        }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, first.CloseStatus);
        Assert.Equal("collision", first.CloseStatusDescription);

        // The new stream starts after the watermark: no greeting again, then the post and its reply.
        var (resumed, _) = await CollectAsync(second, activities => activities.Exists(a => a.Text?.StartsWith("echo", StringComparison.Ordinal) == true));
        Assert.Equal(["while switching", "echo: while switching"], resumed.Select(activity => activity.Text!.Split(" from ")[0]));
        Assert.DoesNotContain(resumed, activity => activity.Id == greeting[0].Id);
    }

    [Fact]
    public async Task The_token_in_a_stream_url_opens_only_the_stream_and_only_briefly()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, started) = await host.StartConversationAsync();
        var streamToken = Uri.UnescapeDataString(started.GetProperty("streamUrl").GetString()!.Split("&t=")[1]);
        Assert.NotEqual(token, streamToken);
        var claims = DirectLineTestHost.JwtPayload(streamToken);
        Assert.Equal("stream", claims.GetProperty("scp").GetString());
        Assert.Equal(60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities", streamToken, new { type = "message", text = "x" })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", streamToken)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversationId}/activities", streamToken)).StatusCode);
    }

    [Fact]
    public async Task The_stream_refuses_a_missing_or_foreign_token()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, _, _) = await host.StartConversationAsync();
        var (_, otherToken, _) = await host.StartConversationAsync();
        var client = host.App.GetTestServer().CreateWebSocketClient();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri($"ws://localhost/v3/directline/conversations/{conversationId}/stream"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri($"ws://localhost/v3/directline/conversations/{conversationId}/stream?t={otherToken}"), CancellationToken.None));
    }

    [Fact]
    public async Task An_update_replaces_the_logged_activity_and_is_pushed_with_the_same_id()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, started) = await host.StartConversationAsync();
        await host.WaitForAsync(conversationId, token, activities => activities.Count == 1);
        using var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        // The connect returns before the server has registered the stream; an update pushed before then is not lost
        // (the stream's first read of the log has the new version) but the draft is never seen as such. The welcome's
        // replay comes only after the registration, so receiving it is the proof that the pushes will reach us.
        await CollectAsync(socket, activities => activities.Count >= 1);
        await host.PostAsync(conversationId, token, "update");
        var (pushed, _) = await CollectAsync(socket, activities => activities.Exists(a => a.Text == "final"));
        var final = Assert.Single(pushed, activity => activity.Text == "final");
        // A stream that reads the log after the update has landed (a loaded machine) gets the final version only; one
        // that read it before gets the draft first, under the same id.
        Assert.All(pushed.Where(activity => activity.Text == "draft"), draft => Assert.Equal(final.Id, draft.Id));
        var (log, _) = await host.GetAsync(conversationId, token);
        // Replaced in place: the draft's entry now holds the final text, and no draft is left in the log.
        Assert.Equal("final", Assert.Single(log, activity => activity.Id == final.Id).Text);
        Assert.DoesNotContain(log, activity => activity.Text == "draft");
    }
}

public sealed class DirectLineRestartTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"dl-restart-{Guid.NewGuid():N}.db");

    private Dictionary<string, string?> Settings() => new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = _database };

    [Fact]
    public async Task After_a_restart_on_the_same_store_the_token_still_works_queued_turns_run_and_the_client_resumes_from_its_watermark()
    {
        string conversationId, token, watermark;
        await using (var before = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), Settings()))
        {
            (conversationId, token, _) = await before.StartConversationAsync();
            await before.PostAsync(conversationId, token, "before");
            (_, watermark) = (await before.GetAsync(conversationId, token));
            await before.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text?.StartsWith("echo: before", StringComparison.Ordinal) == true));
            (_, watermark) = await before.GetAsync(conversationId, token);

            // A post that was stored (and echoed) but whose turn had not run when the process went down.
            var store = before.App.Services.GetRequiredService<DirectLineStore>();
            var pending = new Activity
            {
                Type = ActivityTypes.Message,
                Text = "in flight",
                ChannelId = Channels.DirectLine,
                ServiceUrl = "http://localhost",
                Conversation = new ConversationAccount { Id = conversationId },
                From = new ChannelAccount { Id = "dl_x", Role = RoleTypes.User },
                Recipient = new ChannelAccount { Id = "bot", Role = RoleTypes.Bot },
            };
            await store.PostAsync(conversationId, pending, "in-flight-1", new DirectLineInboxItem { UserId = "dl_x" }, _ => null, CancellationToken.None);
        }

        var bot = new DirectLineTestBot();
        await using var after = await DirectLineTestHost.StartAsync(bot, Settings());
        var log = await after.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text?.StartsWith("echo: in flight", StringComparison.Ordinal) == true));
        var (resumed, _) = await after.GetAsync(conversationId, token, watermark);
        Assert.Equal(["in flight", "echo: in flight"], resumed.Select(activity => activity.Text!.Split(" from ")[0]));
        Assert.Equal(1, bot.Messages);
        Assert.Equal(log.Select(a => a.Id).Distinct().Count(), log.Count);

        // The conversation goes on with continuing ids.
        var next = await after.PostAsync(conversationId, token, "after");
        Assert.True(DirectLineStore.SeqOf(conversationId, next) > DirectLineStore.SeqOf(conversationId, resumed[^1].Id));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
        // The lock files each process held beside the database (ProcessIncarnation).
        if (Directory.Exists(_database + ".incarnations"))
        {
            Directory.Delete(_database + ".incarnations", recursive: true);
        }
    }
}
