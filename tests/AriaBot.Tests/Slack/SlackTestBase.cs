using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Slack;

namespace AriaBot.Tests.Slack;

/// <summary>
/// The real host with the direct Slack ingress on, replying to <see cref="SlackWebApiStandIn"/>. Requests are signed as
/// Slack signs them; a DM is workspace T1, channel D1, user U1 (bound to alice where a test says so).
/// </summary>
public abstract class SlackTestBase : IAsyncLifetime
{
    protected const string Secret = "test-slack-signing-secret";
    protected const string BotToken = "xoxb-test-token";
    protected static readonly BindingKey DmCustomer = new(Channels.Slack, "T1:D1", "U1:T1", TurnIngress.SlackEvents);

    private int _events;

    internal SlackWebApiStandIn Slack { get; private set; } = null!;

    internal AssistantTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await SlackWebApiStandIn.StartAsync();
        Host = new AssistantTestHost(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Secret,
            ["Slack:BotToken"] = BotToken,
            ["Slack:ApiBaseUrl"] = Slack.BaseUrl.AbsoluteUri,
            ["Slack:AppId"] = "A1",
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Slack.DisposeAsync();
    }

    protected static JsonObject DirectMessage(string text, string eventId, string ts, string channel = "D1", string user = "U1") => new()
    {
        ["token"] = "legacy",
        ["team_id"] = "T1",
        ["api_app_id"] = "A1",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000000,
        ["event"] = new JsonObject { ["type"] = "message", ["channel_type"] = "im", ["channel"] = channel, ["user"] = user, ["text"] = text, ["ts"] = ts },
    };

    /// <summary>A new message in the DM (fresh event id and ts).</summary>
    protected JsonObject NextMessage(string text)
    {
        var n = Interlocked.Increment(ref _events);
        return DirectMessage(text, $"Ev{n:D4}", $"1700000100.{n:D6}");
    }

    protected Task<HttpResponseMessage> PostSignedAsync(JsonObject payload, DateTimeOffset? at = null, string secret = Secret, Action<HttpRequestMessage>? tweak = null) =>
        SendSignedAsync(payload.ToJsonString(), "application/json", at, secret, tweak);

    /// <summary>A click on the button titled <paramref name="title"/> of <paramref name="post"/>, as Slack posts it (form-encoded payload).</summary>
    protected Task<HttpResponseMessage> ClickAsync(JsonObject post, string title, string? actionTs = null)
    {
        var button = Buttons(post).FirstOrDefault(b => b["text"]!["text"]!.GetValue<string>() == title)
            ?? throw new InvalidOperationException($"No button '{title}' in: {post.ToJsonString()}");
        var n = Interlocked.Increment(ref _events);
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["api_app_id"] = "A1",
            ["team"] = new JsonObject { ["id"] = "T1" },
            ["user"] = new JsonObject { ["id"] = "U1" },
            ["channel"] = new JsonObject { ["id"] = post["channel"]!.GetValue<string>() },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000001" },
            ["trigger_id"] = "trigger",
            ["actions"] = new JsonArray { new JsonObject { ["action_id"] = button["action_id"]!.GetValue<string>(), ["value"] = button["value"]!.GetValue<string>(), ["action_ts"] = actionTs ?? $"1700000200.{n:D6}" } },
        };
        var form = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        return SendSignedAsync(form, "application/x-www-form-urlencoded", null, Secret, null);
    }

    private async Task<HttpResponseMessage> SendSignedAsync(string body, string contentType, DateTimeOffset? at, string secret, Action<HttpRequestMessage>? tweak)
    {
        var timestamp = (at ?? Host.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/slack/events") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        tweak?.Invoke(request);
        return await Host.Client.SendAsync(request);
    }

    protected static IEnumerable<JsonObject> Buttons(JsonObject post) =>
        post["blocks"]!.AsArray().Select(b => b!.AsObject()).Where(b => b["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b["elements"]!.AsArray().Select(e => e!.AsObject()));

    /// <summary>What a post shows: its sections' and fields' text, mrkdwn markers removed and entities decoded.</summary>
    protected static string Shown(JsonObject post)
    {
        List<string> texts = [];
        foreach (var block in post["blocks"]!.AsArray().Select(b => b!.AsObject()))
        {
            if (block["text"]?["text"] is { } text)
            {
                texts.Add(text.GetValue<string>());
            }
            foreach (var field in block["fields"]?.AsArray() ?? [])
            {
                texts.Add(field!["text"]!.GetValue<string>());
            }
        }
        return WebUtility.HtmlDecode(string.Join("\n", texts).Replace("*", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>Waits until every acknowledged event has had its turn (the inbox is empty).</summary>
    protected async Task WaitForTurnsAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            if (await InboxCountAsync() == 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The Slack inbox did not drain.");
    }

    protected async Task<int> InboxCountAsync() => (await Host.Storage.ReadPrefixAsync("slack-events/inbox/", 100)).Count;

    protected int WriteAttempts() => Host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);
}
