using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Slack;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AriaBot.Tests.Slack;

/// <summary>Signing in from a Slack DM, the conversations this ingress owns, and acknowledged events surviving a restart.</summary>
public sealed class SlackSessionTests : SlackTestBase
{
    [Fact]
    public async Task A_Slack_customer_signs_in_by_link_and_the_binding_is_the_Slack_ingresss_alone()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage("sign in"))).StatusCode);
        await WaitForTurnsAsync();
        var link = new Uri(Buttons(Slack.Posts.Last()).Single(b => b["url"] is not null)["url"]!.GetValue<string>());
        var page = await AssistantTestHost.SignInOnPageAsync(Host.NewBrowser(), link);
        Assert.NotNull(page.Code);

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage(page.Code!))).StatusCode);
        await WaitForTurnsAsync();

        Assert.Contains(Slack.Posts, post => Shown(post).Contains("you're signed in", StringComparison.Ordinal));
        Assert.NotNull(await Host.Bindings.GetAsync(DmCustomer));
        // The same ids through another door find nothing.
        Assert.Null(await Host.Bindings.GetAsync(DmCustomer with { Ingress = TurnIngress.BotConnector }));
        Assert.Null(await Host.Bindings.GetAsync(DmCustomer with { Ingress = TurnIngress.Anonymous }));
        Assert.DoesNotContain(page.Code!, await StoredText.AllAsync(Host.Storage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unauthenticated_api_messages_caller_cannot_speak_in_a_Slack_conversation()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage("hi"))).StatusCode);
        await WaitForTurnsAsync();

        var forged = new JsonObject
        {
            ["type"] = "message", ["id"] = "m1", ["channelId"] = "slack", ["serviceUrl"] = "https://slack.botframework.com/",
            ["from"] = new JsonObject { ["id"] = "U1:T1" }, ["recipient"] = new JsonObject { ["id"] = "A1" },
            ["conversation"] = new JsonObject { ["id"] = "T1:D1" }, ["text"] = "yes", ["deliveryMode"] = "expectReplies",
        };
        using var content = new StringContent(forged.ToJsonString(), Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Forbidden, (await Host.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), content)).StatusCode);
    }

    [Fact]
    public async Task An_event_acknowledged_by_a_process_that_died_runs_in_the_next_one_and_its_retry_is_still_dropped()
    {
        var storage = new MemoryStorage(TimeProvider.System);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Secret, ["Slack:BotToken"] = BotToken, ["Slack:ApiBaseUrl"] = Slack.BaseUrl.AbsoluteUri,
        };
        // What the dead process left: the event in the inbox, its event_id recorded, no turn run.
        var message = DirectMessage("hi", "EvCrash1", "1700000500.000001");
        var incoming = SlackEventMapper.FromEvent(System.Text.Json.JsonDocument.Parse(message.ToJsonString()).RootElement)!;
        var deadInbox = new SlackInbox(storage, new FixedMonitor(new SlackOptions { SigningSecret = Secret, BotToken = BotToken }), TimeProvider.System);
        Assert.True(await deadInbox.TryEnqueueAsync(incoming.DedupeId, new SlackInboxItem { Activity = incoming.Activity, Channel = "D1" }, CancellationToken.None));

        await using var next = new AssistantTestHost(settings, services => services.AddSingleton<IStorage>(storage));
        await SlackWebApiStandIn.WaitUntilAsync(() => Slack.Posts.Count > 0, "the resumed turn's reply");
        await SlackWebApiStandIn.WaitUntilAsync(() => storage.ReadPrefixAsync("slack-events/inbox/", 10).Result.Count == 0, "the inbox to drain");
        var answered = Slack.Posts.Count;

        // Slack's retry of that event reaches the new process: acknowledged, not run again.
        var timestamp = next.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/slack/events") { Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(Secret, timestamp, Encoding.UTF8.GetBytes(message.ToJsonString())));
        Assert.Equal(HttpStatusCode.OK, (await next.Client.SendAsync(request)).StatusCode);

        Assert.Empty(await storage.ReadPrefixAsync("slack-events/inbox/", 10));
        Assert.Contains(next.Logs.GetSnapshot(), record => record.Message.Contains("seen before (a retry)", StringComparison.Ordinal));
        Assert.Equal(answered, Slack.Posts.Count);
    }

    [Fact]
    public async Task Without_a_signing_secret_the_endpoint_is_404()
    {
        await using var host = new AssistantTestHost();
        using var content = new StringContent("""{"type":"url_verification","challenge":"c"}""", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync(new Uri("/api/slack/events", UriKind.Relative), content)).StatusCode);
    }

    private sealed class FixedMonitor(SlackOptions value) : IOptionsMonitor<SlackOptions>
    {
        public SlackOptions CurrentValue => value;

        public SlackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SlackOptions, string?> listener) => null;
    }
}
