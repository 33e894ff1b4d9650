using System.Net;
using System.Text.Json.Nodes;

namespace AriaBot.Tests.Slack;

/// <summary>The door: signatures, url_verification, what starts a turn and what does not, retries, the 3-second acknowledgement.</summary>
public sealed class SlackEventsTests : SlackTestBase
{
    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        var response = await PostSignedAsync(new JsonObject { ["token"] = "legacy", ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", ["type"] = "url_verification" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_message_is_acknowledged_and_answered_in_the_DM_with_the_bot_token()
    {
        var response = await PostSignedAsync(NextMessage("hi"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForTurnsAsync();
        var posts = Slack.Calls.Where(call => call.Method == "chat.postMessage").ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, post =>
        {
            Assert.Equal("Bearer " + BotToken, post.Authorization);
            Assert.Equal("D1", post.Body["channel"]!.GetValue<string>());
            Assert.False(post.Body["unfurl_links"]!.GetValue<bool>());
            Assert.False(post.Body["unfurl_media"]!.GetValue<bool>());
        });
    }

    public static TheoryData<string> Forgeries => ["bad signature", "stale timestamp", "timestamp from the future", "missing signature", "missing timestamp", "wrong secret"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task An_unsigned_or_replayed_request_is_401_and_runs_no_turn(string forgery)
    {
        var now = Host.Time.GetUtcNow();
        var response = forgery switch
        {
            "bad signature" => await PostSignedAsync(NextMessage("yes"), tweak: request =>
            {
                request.Headers.Remove("X-Slack-Signature");
                request.Headers.Add("X-Slack-Signature", "v0=" + new string('0', 64));
            }),
            "stale timestamp" => await PostSignedAsync(NextMessage("yes"), at: now.AddMinutes(-6)),
            "timestamp from the future" => await PostSignedAsync(NextMessage("yes"), at: now.AddMinutes(6)),
            "missing signature" => await PostSignedAsync(NextMessage("yes"), tweak: request => request.Headers.Remove("X-Slack-Signature")),
            "missing timestamp" => await PostSignedAsync(NextMessage("yes"), tweak: request => request.Headers.Remove("X-Slack-Request-Timestamp")),
            _ => await PostSignedAsync(NextMessage("yes"), secret: "another-apps-secret"),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await Host.Storage.ReadPrefixAsync("slack-events/", 10));
        Assert.Empty(await Host.Storage.ReadPrefixAsync("deliveries/slack-events/", 10));
        Assert.Empty(Slack.Calls);
    }

    [Fact]
    public async Task A_retried_event_is_acknowledged_and_runs_once()
    {
        var message = NextMessage("hi");
        Slack.HoldPosts();
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(message)).StatusCode);
        await SlackWebApiStandIn.WaitUntilAsync(() => Slack.Timeline.Contains("held"), "the first turn's reply");
        // Slack's retry of the same event while the first turn still runs: acknowledged, not queued a second time.
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(message, tweak: r => r.Headers.Add("X-Slack-Retry-Num", "1"))).StatusCode);
        Assert.Equal(1, await InboxCountAsync());
        Slack.Release();
        await WaitForTurnsAsync();
        var answered = Slack.Posts.Count;
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(message, tweak: r => r.Headers.Add("X-Slack-Retry-Num", "2"))).StatusCode);
        await WaitForTurnsAsync();

        Assert.True(answered > 0);
        Assert.Equal(answered, Slack.Posts.Count);
        Assert.Single(await Host.Storage.ReadPrefixAsync("deliveries/slack-events/", 10));
    }

    [Theory]
    [InlineData("message_changed")]
    [InlineData("message_deleted")]
    [InlineData("bot_message")]
    public async Task Edits_deletions_and_bot_messages_start_no_turn(string subtype)
    {
        var message = NextMessage("yes");
        message["event"]!["subtype"] = subtype;

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(message)).StatusCode);
        Assert.Empty(await Host.Storage.ReadPrefixAsync("slack-events/inbox/", 10));
    }

    [Fact]
    public async Task Our_own_messages_are_ignored()
    {
        var message = NextMessage("Done! You're now on Premium.");
        message["event"]!["bot_id"] = "B1";

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(message)).StatusCode);
        Assert.Empty(await Host.Storage.ReadPrefixAsync("slack-events/inbox/", 10));
    }

    [Fact]
    public async Task An_event_for_another_app_is_refused()
    {
        var message = NextMessage("hi");
        message["api_app_id"] = "A2";

        Assert.Equal(HttpStatusCode.Forbidden, (await PostSignedAsync(message)).StatusCode);
        Assert.Empty(await Host.Storage.ReadPrefixAsync("slack-events/inbox/", 10));
    }

    [Fact]
    public async Task The_acknowledgement_comes_while_a_slow_Aria_call_still_runs()
    {
        await Host.BindDirectlyAsync(DmCustomer);
        Host.Sandbox.Faults.Latency = TimeSpan.FromSeconds(2);

        var response = await PostSignedAsync(NextMessage("switch my plan"));
        Slack.Timeline.Enqueue("ack");
        var stillRunning = await InboxCountAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The turn (its session check and account read, each two seconds late) had not finished when Slack got its answer.
        Assert.Equal(1, stillRunning);
        await SlackWebApiStandIn.WaitUntilAsync(() => Slack.Timeline.Contains("post"), "the reply");
        Host.Sandbox.Faults.Latency = TimeSpan.Zero;
        var timeline = Slack.Timeline.ToList();
        Assert.True(timeline.IndexOf("ack") < timeline.IndexOf("post"), string.Join(", ", timeline));
        await WaitForTurnsAsync();
    }

    [Fact]
    public async Task A_429_is_waited_out_and_the_reply_still_arrives_once()
    {
        Slack.RateLimitNextPost();

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage("hi"))).StatusCode);
        await SlackWebApiStandIn.WaitUntilAsync(() => Slack.Timeline.Contains("429"), "the rate-limited post");
        // The connector waits Retry-After on the host's clock: move it until the post goes through.
        for (var i = 0; i < 100 && Slack.Posts.Count == 0; i++)
        {
            Host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
        await WaitForTurnsAsync();

        var calls = Slack.Calls.Where(call => call.Method == "chat.postMessage").ToList();
        Assert.Equal(429, calls[0].Status);
        Assert.Equal(200, calls[1].Status);
        Assert.Equal(calls[0].Body.ToJsonString(), calls[1].Body.ToJsonString());
        Assert.Single(calls, call => call.Status == 200 && call.Body.ToJsonString() == calls[0].Body.ToJsonString());
    }
}
