using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;

namespace BotRuntime.DirectLine;

/// <summary>The outcome of asking for a token: the answer, or the status and error to send instead.</summary>
public sealed record DirectLineTokenResult(int StatusCode, DirectLineTokenResponse? Response, ErrorResponse? Error = null)
{
    public bool Succeeded => Response is not null;

    internal static DirectLineTokenResult Fail(int status, string code, string message) => new(status, null, DirectLineErrors.Body(code, message));
}

/// <summary>
/// <c>tokens/generate</c> as a service: the endpoint uses it for the portal's server (authenticated with the
/// secret), and a page served by this same host can call it in-process. The conversation id is created up
/// front, as Azure does, so the token opens exactly that conversation.
/// </summary>
public sealed partial class DirectLineTokenService(DirectLineStore store, DirectLineTokens tokens, ISessionBindingSink sink, TimeProvider timeProvider, ILogger<DirectLineTokenService> logger)
{
    public async Task<DirectLineTokenResult> GenerateAsync(DirectLineTokenParameters? parameters, CancellationToken cancellationToken)
    {
        var userId = parameters?.User?.Id;
        if (userId is not null && (!userId.StartsWith("dl_", StringComparison.Ordinal) || userId.Length < 4 || userId.Length > 128))
        {
            return DirectLineTokenResult.Fail(400, DirectLineErrors.BadArgument, "user.id must start with 'dl_' (ids embedded in tokens are reserved to that prefix) and be at most 128 characters.");
        }
        userId ??= DirectLineStore.NewUserId();
        List<string> origins = [];
        foreach (var origin in parameters?.TrustedOrigins ?? [])
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return DirectLineTokenResult.Fail(400, DirectLineErrors.BadArgument, "trustedOrigins must be http(s) origins.");
            }
            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }

        var conversationId = DirectLineStore.NewConversationId();
        string? bindingId = null;
        if (parameters?.Binding is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } payload)
        {
            bindingId = "b_" + DirectLineStore.NewConversationId();
            SessionBindingResult verdict;
            try
            {
                verdict = await sink.BindAsync(new SessionBindingRequest(Channels.DirectLine, conversationId, userId, bindingId, payload.Clone()) { Ingress = TurnIngress.DirectLine }, cancellationToken).ConfigureAwait(false);
            }
            catch (NotSupportedException)
            {
                return DirectLineTokenResult.Fail(501, DirectLineErrors.NotImplemented, "This bot does not bind sessions (no session binding sink is registered).");
            }
            if (!verdict.Succeeded)
            {
                LogBindingRejected(logger);
                return DirectLineTokenResult.Fail(400, DirectLineErrors.BindingRejected, verdict.Reason ?? "The binding was rejected.");
            }
        }

        var record = new DirectLineConversationRecord
        {
            Id = conversationId,
            UserId = userId,
            UserName = parameters?.User?.Name,
            BindingId = bindingId,
            // The token names the user, so the bot hears that the user joined as soon as the conversation starts.
            UserAdded = true,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await store.CreateConversationAsync(record, cancellationToken).ConfigureAwait(false);
        var (token, expiresIn) = tokens.Issue(new DirectLineTokenClaims(userId, conversationId, parameters?.User?.Name, bindingId, origins));
        return new DirectLineTokenResult(200, new DirectLineTokenResponse { ConversationId = conversationId, Token = token, ExpiresIn = expiresIn });
    }

    /// <summary>A new token for the same user, conversation and binding (the caller's token must still be valid).</summary>
    public DirectLineTokenResponse Refresh(DirectLineTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var (token, expiresIn) = tokens.Issue(claims);
        return new DirectLineTokenResponse { ConversationId = claims.ConversationId, Token = token, ExpiresIn = expiresIn };
    }

    /// <summary>
    /// For a page that kept its token across a reload (the customer page keeps it in the tab's sessionStorage) and
    /// wants to rejoin that conversation rather than open a new one. The token is checked as every token is (a
    /// secret or a stream-only token never passes), <paramref name="mayResume"/> decides whether the caller owns it
    /// (the portal: "is this my current login's conversation?"), and the conversation must still be stored. Then a
    /// fresh token for the same user, conversation and binding: the client reconnects with it
    /// (<c>GET /conversations/{id}</c>), which replays the log and tells the bot nothing, so nothing greets twice.
    /// Failures: 400 no token, 403 <c>TokenExpired</c> / <c>BadToken</c> / <c>Forbidden</c> (not the caller's),
    /// 404 the conversation is gone (its retention ran out).
    /// </summary>
    public async Task<DirectLineTokenResult> ResumeAsync(string? token, Func<DirectLineTokenClaims, bool> mayResume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mayResume);
        // A JWT of ours is a few hundred characters; anything far longer is not one and is not worth parsing.
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return DirectLineTokenResult.Fail(400, DirectLineErrors.MissingProperty, "token is required.");
        }
        var (check, claims) = await tokens.ValidateAsync(token).ConfigureAwait(false);
        if (check == TokenCheck.Expired)
        {
            return DirectLineTokenResult.Fail(403, DirectLineErrors.TokenExpired, "The token has expired.");
        }
        if (check != TokenCheck.Valid || claims!.StreamOnly)
        {
            return DirectLineTokenResult.Fail(403, DirectLineErrors.BadToken, "The token is not valid.");
        }
        if (!mayResume(claims))
        {
            return DirectLineTokenResult.Fail(403, DirectLineErrors.Forbidden, "This conversation is not the caller's to resume.");
        }
        var record = await store.GetConversationAsync(claims.ConversationId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return DirectLineTokenResult.Fail(404, DirectLineErrors.NotFound, "The conversation no longer exists.");
        }
        if (record.TokensRevokedAt is not null)
        {
            return DirectLineTokenResult.Fail(403, DirectLineErrors.TokenExpired, RevokedMessage);
        }
        return new DirectLineTokenResult(200, Refresh(claims));
    }

    internal const string RevokedMessage = "The conversation's tokens were revoked (the customer signed out).";

    /// <summary>
    /// Sign-out: every token of the conversation, issued before or after, stops opening it (403 on read, post, refresh,
    /// stream and resume) and its open stream is closed. False when the conversation is not stored (nothing to revoke).
    /// </summary>
    public async Task<bool> RevokeAsync(string conversationId, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeTokensAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            LogRevoked(logger);
        }
        return revoked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A Direct Line conversation's tokens were revoked (sign-out)")]
    private static partial void LogRevoked(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "tokens/generate: the session binding was rejected by the sink; no token issued")]
    private static partial void LogBindingRejected(ILogger logger);
}
