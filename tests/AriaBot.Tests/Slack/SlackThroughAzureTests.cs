using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AriaBot.Tests.Slack;

/// <summary>Slack through Azure Bot Service: <c>/api/messages</c> with <c>channelId: "slack"</c> gets the same Block Kit in <c>channelData</c>.</summary>
public sealed class SlackThroughAzureTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonArray> SendAsync(JsonObject activity)
    {
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await _host.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["activities"]!.AsArray();
    }

    private static JsonObject Activity(string id, string text, JsonObject channelData) => new()
    {
        ["type"] = "message",
        ["id"] = id,
        ["channelId"] = "slack",
        ["serviceUrl"] = "https://slack.botframework.com/",
        ["from"] = new JsonObject { ["id"] = "U1:T1" },
        ["recipient"] = new JsonObject { ["id"] = "B1:T1" },
        ["conversation"] = new JsonObject { ["id"] = "B1:T1:D1" },
        ["text"] = text,
        ["deliveryMode"] = "expectReplies",
        ["channelData"] = channelData,
    };

    [Fact]
    public async Task Every_reply_carries_Block_Kit_in_channelData_and_a_button_click_is_read_back()
    {
        // Development's /api/messages is unauthenticated: the binding is the anonymous ingress's.
        await _host.BindDirectlyAsync(new AriaBot.Session.BindingKey("slack", "B1:T1:D1", "U1:T1", BotRuntime.Builder.TurnIngress.Anonymous));
        var dm = new JsonObject { ["SlackMessage"] = new JsonObject { ["event"] = new JsonObject { ["channel_type"] = "im" } } };
        var replies = await SendAsync(Activity("m1", "switch my plan", dm));

        var messages = replies.Where(reply => reply!["type"]!.GetValue<string>() == "message").ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, reply =>
        {
            var data = reply!["channelData"]!.AsObject();
            Assert.False(string.IsNullOrWhiteSpace(data["text"]!.GetValue<string>()));
            Assert.NotEmpty(data["blocks"]!.AsArray());
        });

        // Azure forwards a click as the raw interactive payload; its button value says what the click means.
        var button = messages.SelectMany(reply => reply!["channelData"]!["blocks"]!.AsArray())
            .Where(block => block!["type"]!.GetValue<string>() == "actions")
            .SelectMany(block => block!["elements"]!.AsArray())
            .First(element => element!["text"]!["text"]!.GetValue<string>() == "Premium")!;
        var click = new JsonObject
        {
            ["SlackMessage"] = new JsonObject { ["event"] = new JsonObject { ["channel_type"] = "im" } },
            ["Payload"] = new JsonObject { ["type"] = "block_actions", ["actions"] = new JsonArray { new JsonObject { ["value"] = button["value"]!.GetValue<string>() } } },
        };
        var answered = await SendAsync(Activity("m2", string.Empty, click));

        // The click chose Premium: the preview came back, with its Confirm button in Block Kit.
        var confirm = answered.Where(reply => reply!["channelData"]?["blocks"] is not null)
            .SelectMany(reply => reply!["channelData"]!["blocks"]!.AsArray())
            .Where(block => block!["type"]!.GetValue<string>() == "actions")
            .SelectMany(block => block!["elements"]!.AsArray());
        Assert.Contains(confirm, element => element!["text"]!["text"]!.GetValue<string>() == "Confirm");
    }
}
