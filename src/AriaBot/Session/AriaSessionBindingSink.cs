using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using BotRuntime.Builder;
using BotRuntime.DirectLine;

namespace AriaBot.Session;

/// <summary>
/// Web chat inside the customer's portal: the portal's server hands the customer's Aria session to the bot, which
/// validates it with Aria and binds it server-side. The payload (the <c>binding</c> field of
/// <c>tokens/generate</c> or <c>POST /api/session-bindings</c>) is <c>{"ariaSessionId": "…"}</c>.
/// <list type="bullet">
/// <item>Self-hosted Direct Line (<c>tokens/generate</c>): the conversation is known, so (channel, conversation,
/// <c>dl_</c> user) is bound at once, together with the token's opaque binding id.</item>
/// <item>Azure Bot Service (<c>POST /api/session-bindings</c> without a conversation id): the session waits under
/// (channel, <c>dl_</c> user) and is attached to the conversation on that user's first turn.</item>
/// </list>
/// An invalid or expired Aria session, or a malformed payload, is <see cref="SessionBindingResult.Rejected"/>.
/// </summary>
public sealed partial class AriaSessionBindingSink(ISessionBindings bindings, IAriaClient aria, TimeProvider timeProvider, ILogger<AriaSessionBindingSink> logger) : ISessionBindingSink
{
    /// <summary>The one field of the payload.</summary>
    public const string SessionIdField = "ariaSessionId";

    private const int MaxSessionIdLength = 256;

    public async Task<SessionBindingResult> BindAsync(SessionBindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Ingress is not (TurnIngress.DirectLine or TurnIngress.BotConnector))
        {
            // The binding must say which ingress its user's turns will come through; a request that does not is a bug.
            return SessionBindingResult.Rejected("The binding request does not say which ingress the chat user talks through.");
        }
        if (!TryReadSessionId(request.Payload, out var sessionId))
        {
            return SessionBindingResult.Rejected($"binding must be {{\"{SessionIdField}\": \"<the customer's Aria session id>\"}}.");
        }

        var validation = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = sessionId }, cancellationToken).ConfigureAwait(false);
        if (!validation.IsSuccess)
        {
            if (validation.Error.IsSessionInvalid)
            {
                LogRejected(logger, request.ChannelId);
                return SessionBindingResult.Rejected("The Aria session is invalid or has expired.");
            }
            LogUnavailable(logger, validation.Error.Code, validation.Error.Kind);
            return SessionBindingResult.Rejected("The Aria session could not be validated right now; try again shortly.");
        }
        if (validation.Value.AccountNo is not { } accountNo)
        {
            return SessionBindingResult.Rejected("The Aria session could not be validated right now; try again shortly.");
        }

        var binding = new SessionBinding
        {
            AriaSessionId = sessionId,
            AccountNo = accountNo,
            AriaUserId = validation.Value.UserId ?? string.Empty,
            BoundAt = timeProvider.GetUtcNow(),
            Source = SessionBindingSource.Portal,
            Ingress = request.Ingress,
            DirectLineBindingId = request.BindingId,
            // ExtendedAt stays unknown: the portal created (or extended) the session at a time it does not tell us,
            // so the customer's first turn that checks it extends it (see AccountSession).
        };
        if (request.ConversationId is { Length: > 0 } conversationId)
        {
            await bindings.BindAsync(new BindingKey(request.ChannelId, conversationId, request.UserId, request.Ingress), binding, cancellationToken).ConfigureAwait(false);
            LogBound(logger, accountNo, request.ChannelId, "conversation");
        }
        else
        {
            await bindings.RegisterForUserAsync(request.ChannelId, request.UserId, binding, cancellationToken).ConfigureAwait(false);
            LogBound(logger, accountNo, request.ChannelId, "user's first turn");
        }
        return SessionBindingResult.Bound;
    }

    private static bool TryReadSessionId(JsonElement payload, out string sessionId)
    {
        sessionId = string.Empty;
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty(SessionIdField, out var value)
            || value.ValueKind != JsonValueKind.String
            || value.GetString() is not { Length: > 0 and <= MaxSessionIdLength } text
            || text.Any(char.IsControl)
            || text.Trim().Length != text.Length)
        {
            return false;
        }
        sessionId = text;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal session bound for account {AccountNo} on {ChannelId} (attached to the {Scope})")]
    private static partial void LogBound(ILogger logger, long accountNo, string channelId, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal session binding on {ChannelId} rejected: the Aria session is invalid or expired (1011)")]
    private static partial void LogRejected(ILogger logger, string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal session binding could not be validated: Aria error {Code} ({Kind})")]
    private static partial void LogUnavailable(ILogger logger, long code, AriaErrorKind kind);
}
