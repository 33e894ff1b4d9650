using System.Text.Json;
using BotRuntime.Builder;

namespace BotRuntime.DirectLine;

/// <summary>
/// A portal asks the bot to bind a chat user to the customer's (Aria) session. The runtime only carries the
/// request; the assistant validates the payload and stores the binding server-side.
/// </summary>
public sealed class SessionBindingRequest
{
    public SessionBindingRequest(string channelId, string? conversationId, string userId, string? bindingId, JsonElement payload)
    {
        ChannelId = channelId;
        ConversationId = conversationId;
        UserId = userId;
        BindingId = bindingId;
        Payload = payload;
    }

    /// <summary><c>directline</c> (self-hosted, or Azure's Direct Line channel) or <c>webchat</c> (Azure's Web Chat channel).</summary>
    public string ChannelId { get; }

    /// <summary>The conversation the token opens (self-hosted); in Azure mode only when the portal sent it.</summary>
    public string? ConversationId { get; }

    /// <summary>The <c>dl_</c> user id the bot will see as <c>from.id</c> (the token's <c>user</c> claim).</summary>
    public string UserId { get; }

    /// <summary>
    /// Self-hosted mode: the opaque id carried in the token's <c>bid</c> claim and in the turn identity
    /// (<see cref="DirectLineClaimTypes.BindingId"/>). Null in Azure mode, where the token is Azure's.
    /// </summary>
    public string? BindingId { get; }

    /// <summary>
    /// The ingress the chat user's turns will come through, set by the endpoint that took the request: our Direct
    /// Line for <c>tokens/generate</c>, the Bot Connector for <c>POST /api/session-bindings</c> (Azure's Direct Line
    /// and Web Chat). The binding answers only turns from it.
    /// </summary>
    public TurnIngress Ingress { get; init; }

    /// <summary>
    /// What the portal sent as <c>binding</c>, e.g. the customer's Aria session id. A secret: never log it,
    /// never put it in a token, a transcript or state a person can read.
    /// </summary>
    public JsonElement Payload { get; }

    // Records and default ToString would print the payload into any log line that formats the request.
    public override string ToString() => $"SessionBindingRequest {{ ChannelId = {ChannelId}, ConversationId = {ConversationId}, UserId = {UserId}, Ingress = {Ingress} }}";
}

/// <summary>The sink's verdict.</summary>
public sealed record SessionBindingResult(bool Succeeded, string? Reason = null)
{
    public static SessionBindingResult Bound { get; } = new(true);

    /// <summary>The payload is not acceptable (e.g. the Aria session is invalid or expired). The reason goes back to the portal's server.</summary>
    public static SessionBindingResult Rejected(string reason) => new(false, reason);
}

/// <summary>
/// Where session bindings go. The assistant implements it: validate the payload with Aria
/// (<c>validate_session_m</c>), then store (channel, conversation, user) → session server-side. Throw
/// <see cref="NotSupportedException"/> when binding is not available at all (answered 501).
/// </summary>
public interface ISessionBindingSink
{
    Task<SessionBindingResult> BindAsync(SessionBindingRequest request, CancellationToken cancellationToken);
}

/// <summary>The default until the assistant registers its own: refuses, so that no binding silently "succeeds".</summary>
public sealed class RefusingSessionBindingSink : ISessionBindingSink
{
    public Task<SessionBindingResult> BindAsync(SessionBindingRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("No ISessionBindingSink is registered: this bot cannot bind chat users to sessions.");
}
