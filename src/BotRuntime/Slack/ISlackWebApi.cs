using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refit;

namespace BotRuntime.Slack;

/// <summary>
/// The Slack Web API calls the bot makes (bot token added by <see cref="SlackBotTokenHandler"/>). Slack answers HTTP
/// 200 with <c>{ok:false, error}</c> for its own refusals and 429 with <c>Retry-After</c> when rate limited, so
/// responses are read raw (<see cref="SlackConnector"/> decides).
/// </summary>
public interface ISlackWebApi
{
    [Post("/chat.postMessage")]
    Task<IApiResponse<JsonElement>> PostMessageAsync([Body] SlackPostMessage message, CancellationToken cancellationToken);

    [Post("/chat.update")]
    Task<IApiResponse<JsonElement>> UpdateMessageAsync([Body] SlackUpdateMessage message, CancellationToken cancellationToken);

    [Post("/chat.delete")]
    Task<IApiResponse<JsonElement>> DeleteMessageAsync([Body] SlackDeleteMessage message, CancellationToken cancellationToken);

    [Post("/conversations.open")]
    Task<IApiResponse<JsonElement>> OpenConversationAsync([Body] SlackOpenConversation request, CancellationToken cancellationToken);
}

/// <summary><c>chat.postMessage</c>: link and media previews are always off (a reply never unfurls a customer's link).</summary>
public sealed record SlackPostMessage(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("blocks")] JsonArray? Blocks,
    [property: JsonPropertyName("thread_ts")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ThreadTs)
{
    [JsonPropertyName("unfurl_links")]
    public bool UnfurlLinks => false;

    [JsonPropertyName("unfurl_media")]
    public bool UnfurlMedia => false;

    /// <summary>"none": Slack does not turn plain "@channel" or "#general" in our text into mentions or links.</summary>
    [JsonPropertyName("parse")]
    public string Parse => "none";
}

public sealed record SlackUpdateMessage(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("ts")] string Ts,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("blocks")] JsonArray? Blocks)
{
    [JsonPropertyName("parse")]
    public string Parse => "none";
}

public sealed record SlackDeleteMessage([property: JsonPropertyName("channel")] string Channel, [property: JsonPropertyName("ts")] string Ts);

public sealed record SlackOpenConversation([property: JsonPropertyName("users")] string Users);

/// <summary>Adds the bot token to every Web API call; the token never appears in a log line.</summary>
internal sealed class SlackBotTokenHandler(Microsoft.Extensions.Options.IOptionsMonitor<SlackOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", options.CurrentValue.BotToken);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Source-generated JSON for the Web API client (Refit here uses generated requests only).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SlackPostMessage))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SlackUpdateMessage))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SlackDeleteMessage))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SlackOpenConversation))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
public sealed partial class SlackJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
