using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Split by responsibility: this file has the tokens, conversation start and rejoin, the stream and the Azure-mode binding;
// DirectLineEndpoints.Activities.cs the activities (GET and POST); DirectLineEndpoints.Checks.cs what every request is checked for.
namespace BotRuntime.DirectLine;

/// <summary>Who is calling: a secret holder (any conversation, any user) or a token's user (one conversation).</summary>
public sealed record DirectLineCaller(bool ViaSecret, DirectLineTokenClaims? Token);

/// <summary>
/// The Direct Line 3.0 endpoints under <c>/v3/directline</c> and <c>POST /api/session-bindings</c>. Every
/// answer uses Direct Line's casing and error body <c>{"error":{"code","message"}}</c>: 401 without
/// credentials, 403 for a bad or expired token or another conversation's token, 404 for an unknown
/// conversation, 429 with Retry-After for a flooding conversation, 501 for uploads.
/// </summary>
public sealed partial class DirectLineEndpoints(
    DirectLineStore store,
    DirectLineTokens tokens,
    DirectLineTokenService tokenService,
    DirectLineTurnQueue queue,
    DirectLineStreams streams,
    DirectLineRateLimits limits,
    ISessionBindingSink sink,
    IIncomingActivityRedactor redactor,
    IOptionsMonitor<DirectLineOptions> options,
    TimeProvider timeProvider,
    ILogger<DirectLineEndpoints> logger)
{
    // ---- tokens ----

    public async Task<IResult> GenerateTokenAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, failure) = await AuthenticateAsync(context).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        if (!caller!.ViaSecret)
        {
            return Error(403, DirectLineErrors.Forbidden, "tokens/generate needs the Direct Line secret, not a token.");
        }
        if (CheckOrigin(context, caller) is { } refused)
        {
            return refused;
        }
        var (parameters, bodyError) = await ReadBodyAsync<DirectLineTokenParameters>(context, allowEmpty: true).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var result = await tokenService.GenerateAsync(parameters, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? Json(result.Response!, 200) : Results.Json(result.Error, BotJson.Options, statusCode: result.StatusCode);
    }

    public async Task<IResult> RefreshTokenAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, failure) = await AuthenticateAsync(context).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        if (caller!.Token is not { } claims)
        {
            return Error(403, DirectLineErrors.Forbidden, "tokens/refresh needs a token; a secret does not expire.");
        }
        if (CheckOrigin(context, caller) is { } refused)
        {
            return refused;
        }
        if (Limit(context, limits.Reads, claims.ConversationId) is { } limited)
        {
            return limited;
        }
        var existing = await store.GetConversationAsync(claims.ConversationId, context.RequestAborted).ConfigureAwait(false);
        if (existing is null)
        {
            return Error(404, DirectLineErrors.NotFound, "The conversation no longer exists.");
        }
        if (existing.TokensRevokedAt is not null)
        {
            return Revoked();
        }
        return Json(tokenService.Refresh(claims), 200);
    }

    // ---- conversations ----

    public async Task<IResult> StartConversationAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, failure) = await AuthenticateAsync(context).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        if (CheckOrigin(context, caller!) is { } refused)
        {
            return refused;
        }
        var (body, bodyError) = await ReadBodyAsync<StartBody>(context, allowEmpty: true).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }
        DirectLineConversationRecord? record;
        if (caller!.Token is { } claims)
        {
            if (Limit(context, limits.Reads, claims.ConversationId) is { } limited)
            {
                return limited;
            }
            record = await store.GetConversationAsync(claims.ConversationId, context.RequestAborted).ConfigureAwait(false);
            if (record is null)
            {
                return Error(404, DirectLineErrors.NotFound, "The token's conversation no longer exists.");
            }
            if (record.TokensRevokedAt is not null)
            {
                return Revoked();
            }
        }
        else
        {
            // A secret holder starts a fresh conversation, as any user it names (as on Azure).
            var userId = body?.User?.Id is { Length: > 0 and <= 128 } named ? named : null;
            record = new DirectLineConversationRecord
            {
                Id = DirectLineStore.NewConversationId(),
                UserId = userId ?? DirectLineStore.NewUserId(),
                UserName = body?.User?.Name,
                UserAdded = userId is not null,
                Locale = body?.Locale,
                CreatedAt = timeProvider.GetUtcNow(),
            };
            await store.CreateConversationAsync(record, context.RequestAborted).ConfigureAwait(false);
        }
        var started = await EnsureStartedAsync(context, record, body?.Locale).ConfigureAwait(false);
        var token = caller.Token is { } current
            ? tokenService.Refresh(current)
            : tokenService.Refresh(new DirectLineTokenClaims(record.UserId, record.Id, record.UserName, record.BindingId));
        return Json(new DirectLineConversation
        {
            ConversationId = record.Id,
            Token = token.Token,
            ExpiresIn = token.ExpiresIn,
            StreamUrl = StreamUrl(context, record, caller, 0),
        }, started ? 201 : 200);
    }

    public async Task<IResult> ReconnectAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, record, failure) = await OpenConversationAsync(context, conversationId, limits.Reads).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        await EnsureStartedAsync(context, record!, null).ConfigureAwait(false);
        var token = caller!.Token is { } claims
            ? tokenService.Refresh(claims)
            : tokenService.Refresh(new DirectLineTokenClaims(record!.UserId, record.Id, record.UserName, record.BindingId));
        return Json(new DirectLineConversation
        {
            ConversationId = conversationId,
            Token = token.Token,
            ExpiresIn = token.ExpiresIn,
            StreamUrl = StreamUrl(context, record!, caller, ParseWatermark(context)),
        }, 200);
    }

    public async Task<IResult> UploadAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (_, _, failure) = await OpenConversationAsync(context, conversationId, limits.Posts).ConfigureAwait(false);
        return failure ?? Error(501, DirectLineErrors.NotImplemented, "This bot does not accept file uploads.");
    }

    public async Task StreamAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Error(400, DirectLineErrors.BadArgument, "The stream is a WebSocket.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var (_, _, failure) = await OpenConversationAsync(context, conversationId, limits.Reads).ConfigureAwait(false);
        if (failure is not null)
        {
            await failure.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var watermark = ParseWatermark(context);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await streams.RunAsync(conversationId, socket, watermark, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>CORS preflight: bearer credentials are not cookies, so any origin may ask; the real request's origin is checked.</summary>
    public static IResult Preflight(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
            headers.AccessControlAllowHeaders = "authorization, content-type, x-ms-bot-agent, accept";
            headers.AccessControlMaxAge = "600";
            headers.Vary = "Origin";
        }
        return Results.NoContent();
    }

    // ---- Azure mode: the portal registers a binding for the dl_ user it put into Azure's token ----

    public async Task<IResult> RegisterSessionBindingAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var expected = options.CurrentValue.SessionBindingSecret;
        var presented = Bearer(context);
        if (string.IsNullOrEmpty(expected))
        {
            LogBindingsNotConfigured(logger);
            return Error(401, DirectLineErrors.Unauthorized, "Session bindings are not enabled on this bot.");
        }
        if (presented is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return Error(401, DirectLineErrors.Unauthorized, "The session binding secret is missing or wrong.");
        }
        var (body, bodyError) = await ReadBodyAsync<SessionBindingRegistration>(context, allowEmpty: false).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }
        if (body!.UserId is not { Length: > 3 and <= 128 } userId || !userId.StartsWith("dl_", StringComparison.Ordinal))
        {
            return Error(400, DirectLineErrors.BadArgument, "userId must be the 'dl_' user id put into the Direct Line token.");
        }
        if (body.Binding is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } payload)
        {
            return Error(400, DirectLineErrors.MissingProperty, "binding is required.");
        }
        var channelId = body.ChannelId ?? Channels.DirectLine;
        if (channelId is not (Channels.DirectLine or Channels.Webchat))
        {
            return Error(400, DirectLineErrors.BadArgument, "channelId must be 'directline' or 'webchat'.");
        }
        SessionBindingResult verdict;
        try
        {
            verdict = await sink.BindAsync(new SessionBindingRequest(channelId, body.ConversationId, userId, null, payload.Clone()) { Ingress = TurnIngress.BotConnector }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            return Error(501, DirectLineErrors.NotImplemented, "This bot does not bind sessions (no session binding sink is registered).");
        }
        return verdict.Succeeded ? Results.NoContent() : Error(400, DirectLineErrors.BindingRejected, verdict.Reason ?? "The binding was rejected.");
    }

    private sealed class StartBody
    {
        public ChannelAccount? User { get; set; }
        public string? Locale { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /api/session-bindings was called but DirectLine:SessionBindingSecret is not configured")]
    private static partial void LogBindingsNotConfigured(ILogger logger);
}
