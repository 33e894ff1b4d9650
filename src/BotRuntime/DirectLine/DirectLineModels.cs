using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Schema;

namespace BotRuntime.DirectLine;

/// <summary>
/// The answer to <c>POST /conversations</c> and <c>GET /conversations/{id}</c>, with Direct Line 3.0's exact
/// casing (note <c>expires_in</c>).
/// </summary>
public sealed class DirectLineConversation
{
    public string? ConversationId { get; set; }
    public string? Token { get; set; }
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; set; }
    public string? StreamUrl { get; set; }
    public string? ReferenceGrammarId { get; set; }
    public string? ETag { get; set; }
}

/// <summary>The answer to <c>tokens/generate</c> and <c>tokens/refresh</c>.</summary>
public sealed class DirectLineTokenResponse
{
    public string? ConversationId { get; set; }
    public string? Token { get; set; }
    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }
}

/// <summary>
/// The body of <c>tokens/generate</c>: Direct Line's TokenParameters, plus <see cref="Binding"/>, our extension
/// for the portal's server to bind the conversation to the customer's Aria session.
/// </summary>
public sealed class DirectLineTokenParameters
{
    public ChannelAccount? User { get; set; }
    public List<string>? TrustedOrigins { get; set; }
    public string? ETag { get; set; }

    /// <summary>
    /// Opaque to the runtime (e.g. <c>{"sessionId": "…"}</c>): handed to <see cref="ISessionBindingSink"/> and
    /// nowhere else — never logged, never put into the token.
    /// </summary>
    public JsonElement? Binding { get; set; }
}

/// <summary>What <c>GET …/activities</c> and every stream frame carry; the watermark is a string on the wire.</summary>
public sealed class ActivitySet
{
    public List<Activity> Activities { get; set; } = [];
    public string? Watermark { get; set; }
}

/// <summary>The body of <c>POST /api/session-bindings</c> (Azure mode).</summary>
public sealed class SessionBindingRegistration
{
    /// <summary>The <c>dl_</c> user id the portal put into Azure's Direct Line token.</summary>
    public string? UserId { get; set; }

    /// <summary>The channel the bot will see the user on: <c>directline</c> (default) or <c>webchat</c>.</summary>
    public string? ChannelId { get; set; }

    /// <summary>The Azure conversation id, when the portal already knows it (e.g. from Azure's tokens/generate).</summary>
    public string? ConversationId { get; set; }

    /// <summary>Opaque payload for the sink (never logged).</summary>
    public JsonElement? Binding { get; set; }
}

/// <summary>Direct Line's error body: <c>{"error":{"code","message"}}</c>.</summary>
internal static class DirectLineErrors
{
    public const string BadArgument = "BadArgument";
    public const string MissingProperty = "MissingProperty";
    public const string TokenExpired = "TokenExpired";
    public const string BadToken = "BadToken";
    public const string NotFound = "BadArgument";
    public const string TooManyRequests = "TooManyRequests";
    public const string NotImplemented = "NotImplemented";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string PayloadTooLarge = "MessageSizeTooBig";
    public const string BindingRejected = "BindingRejected";
    public const string ServiceError = "ServiceError";

    public static ErrorResponse Body(string code, string message) => new() { Error = new Error { Code = code, Message = message } };
}
