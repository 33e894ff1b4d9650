using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using BotRuntime.Builder;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Longer than 350 lines on purpose (the whole Direct Line 3.0 REST surface and its checks in one place; to split by resource (tokens, conversations, activities, stream)); the Shape tests' FileSizeTests bound it.
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

    public async Task<IResult> GetActivitiesAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (_, entry, failure) = await OpenConversationEntryAsync(context, conversationId, limits.Reads).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var (activities, watermark) = await store.ReadSinceAsync(conversationId, entry!.Value, ParseWatermark(context), long.MaxValue, context.RequestAborted).ConfigureAwait(false);
        return Json(new ActivitySet { Activities = activities, Watermark = DirectLineStreams.Format(watermark) }, 200);
    }

    public async Task<IResult> PostActivityAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, entry, failure) = await OpenConversationEntryAsync(context, conversationId, limits.Posts).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var record = entry!.Value;
        var (incoming, bodyError) = await ReadActivityAsync(context).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }
        if (string.IsNullOrWhiteSpace(incoming!.Type))
        {
            return Error(400, DirectLineErrors.MissingProperty, "The activity has no type.");
        }
        var started = await EnsureStartedAsync(context, record, null).ConfigureAwait(false);

        var settings = options.CurrentValue;
        var baseUrl = BaseUrl(context);
        var bot = Bot(settings);
        // from.id is never the client's to choose: a token's user is the token's, whatever the activity says.
        var userId = caller!.Token?.UserId ?? (incoming.From?.Id is { Length: > 0 } claimed ? claimed : record.UserId);
        var userName = incoming.From?.Name ?? caller.Token?.UserName ?? record.UserName;
        var activity = incoming.Clone();
        activity.ChannelId = Channels.DirectLine;
        activity.ServiceUrl = baseUrl;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.From = new ChannelAccount { Id = userId, Name = userName, Role = RoleTypes.User };
        activity.Recipient = bot;
        activity.Timestamp = timeProvider.GetUtcNow();
        activity.CallerId = null;
        // Replies go to the log, never into this response.
        activity.DeliveryMode = null;
        activity.Locale ??= record.Locale;
        var clientActivityId = incoming.ChannelData is { ValueKind: JsonValueKind.Object } channelData
            && channelData.TryGetProperty("clientActivityID", out var clientId) && clientId.ValueKind == JsonValueKind.String ? clientId.GetString() : null;

        // What the customer typed is redacted before any copy is written: the log (GET, stream replays), the inbox and
        // this process's stream all get the redacted activity. The turn alone gets it as typed, from memory, so the
        // bot can still read a code it waits for and tell the customer what it removed; nothing durable holds it.
        var redacted = await redactor.RedactAsync(activity, IncomingRedactionReason.Incoming, context.RequestAborted).ConfigureAwait(false);
        var heldId = redacted is null ? null : queue.Hold(activity);
        var stored = redacted ?? activity;
        var inbox = new DirectLineInboxItem { UserId = userId, BindingId = caller.Token?.BindingId ?? record.BindingId, ViaSecret = caller.ViaSecret, HeldId = heldId };
        PostedActivity posted;
        try
        {
            posted = await PostAsync(stored, inbox).ConfigureAwait(false);
        }
        catch
        {
            queue.Release(heldId);
            throw;
        }
        if (posted.IsRetry)
        {
            queue.Release(heldId);
            LogRetry(logger);
            return Json(new ResourceResponse(posted.Id), 200);
        }
        streams.Notify(conversationId, stored, posted.Seq);
        queue.Schedule(conversationId);
        // The echo is stored and the turn will run whatever happens now; waiting only lets a client that
        // polls right after the answer find the bot's replies already there.
        await queue.WaitForTurnAsync(conversationId, posted.Seq, settings.PostWaitTimeout, context.RequestAborted).ConfigureAwait(false);
        return Json(new ResourceResponse(posted.Id), 200);

        Task<PostedActivity> PostAsync(Activity logged, DirectLineInboxItem queued) => store.PostAsync(conversationId, logged, clientActivityId, queued,
            current => new DirectLineInboxItem
            {
                Activity = ConversationUpdate(current, baseUrl, bot, new ChannelAccount { Id = userId, Name = userName }),
                UserId = userId,
                BindingId = inbox.BindingId,
                ViaSecret = caller.ViaSecret,
            },
            context.RequestAborted, started ? null : entry);
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

    // ---- helpers ----

    private sealed class StartBody
    {
        public ChannelAccount? User { get; set; }
        public string? Locale { get; set; }
    }

    private async Task<(DirectLineCaller? Caller, IResult? Failure)> AuthenticateAsync(HttpContext context, string? queryToken = null)
    {
        var credential = Bearer(context) ?? queryToken;
        if (string.IsNullOrEmpty(credential))
        {
            return (null, Error(401, DirectLineErrors.Unauthorized, "Send 'Authorization: Bearer' with the Direct Line secret or a token."));
        }
        if (tokens.IsSecret(credential))
        {
            return (new DirectLineCaller(true, null), null);
        }
        var (check, claims) = await tokens.ValidateAsync(credential).ConfigureAwait(false);
        if (check == TokenCheck.Valid && claims!.StreamOnly && queryToken is null)
        {
            return (null, Error(403, DirectLineErrors.BadToken, "A stream token only opens the stream."));
        }
        return check switch
        {
            TokenCheck.Valid => (new DirectLineCaller(false, claims), null),
            TokenCheck.Expired => (null, Error(403, DirectLineErrors.TokenExpired, "The token has expired.")),
            _ => (null, Error(403, DirectLineErrors.BadToken, "The token or secret is not valid.")),
        };
    }

    /// <summary>Authenticates, then checks that the caller may use this conversation and is within its limits.</summary>
    private async Task<(DirectLineCaller? Caller, DirectLineConversationRecord? Record, IResult? Failure)> OpenConversationAsync(HttpContext context, string conversationId, PartitionedRateLimiter<string> limiter)
    {
        var (caller, entry, failure) = await OpenConversationEntryAsync(context, conversationId, limiter).ConfigureAwait(false);
        return (caller, entry?.Value, failure);
    }

    private async Task<(DirectLineCaller? Caller, Stored<DirectLineConversationRecord>? Entry, IResult? Failure)> OpenConversationEntryAsync(HttpContext context, string conversationId, PartitionedRateLimiter<string> limiter)
    {
        // The stream is opened by a browser WebSocket, which cannot send headers: its token rides in the query (never logged).
        var queryToken = context.Request.Path.Value?.EndsWith("/stream", StringComparison.Ordinal) == true ? context.Request.Query["t"].ToString() : null;
        var (caller, failure) = await AuthenticateAsync(context, queryToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (null, null, failure);
        }
        if (caller!.Token is { } claims && !string.Equals(claims.ConversationId, conversationId, StringComparison.Ordinal))
        {
            return (null, null, Error(403, DirectLineErrors.Forbidden, "The token does not open this conversation."));
        }
        if (CheckOrigin(context, caller) is { } refused)
        {
            return (null, null, refused);
        }
        if (!DirectLineStore.IsWellFormedConversationId(conversationId))
        {
            return (null, null, Error(404, DirectLineErrors.NotFound, "Unknown conversation."));
        }
        if (Limit(context, limiter, conversationId) is { } limited)
        {
            return (null, null, limited);
        }
        var entry = await store.ReadConversationAsync(conversationId, context.RequestAborted).ConfigureAwait(false);
        if (entry is null)
        {
            return (null, null, Error(404, DirectLineErrors.NotFound, "Unknown conversation."));
        }
        return caller.Token is not null && entry.Value.TokensRevokedAt is not null ? (null, null, Revoked()) : (caller, entry, null);
    }

    private async Task<bool> EnsureStartedAsync(HttpContext context, DirectLineConversationRecord record, string? locale)
    {
        if (record.Started)
        {
            return false;
        }
        var baseUrl = BaseUrl(context);
        var bot = Bot(options.CurrentValue);
        var lastEvent = await store.StartAsync(record.Id, locale, current =>
        {
            var user = new ChannelAccount { Id = current.UserId, Name = current.UserName };
            List<DirectLineInboxItem> events = [Event(current, ConversationUpdate(current, baseUrl, bot, bot))];
            if (current.UserAdded)
            {
                events.Add(Event(current, ConversationUpdate(current, baseUrl, bot, user)));
            }
            return events;
        }, context.RequestAborted).ConfigureAwait(false);
        if (lastEvent is not { } seq)
        {
            return false;
        }
        queue.Schedule(record.Id);
        // Wait (bounded) for the bot to hear it: a greeting is then in the log before the client's first post.
        await queue.WaitForTurnAsync(record.Id, seq, options.CurrentValue.PostWaitTimeout, context.RequestAborted).ConfigureAwait(false);
        return true;

        static DirectLineInboxItem Event(DirectLineConversationRecord current, Activity activity) =>
            new() { Activity = activity, UserId = current.UserId, BindingId = current.BindingId };
    }

    private Activity ConversationUpdate(DirectLineConversationRecord record, string baseUrl, ChannelAccount bot, ChannelAccount added) => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        ChannelId = Channels.DirectLine,
        ServiceUrl = baseUrl,
        Conversation = new ConversationAccount { Id = record.Id },
        From = new ChannelAccount { Id = record.UserId, Name = record.UserName, Role = RoleTypes.User },
        Recipient = bot,
        MembersAdded = [new ChannelAccount { Id = added.Id, Name = added.Name }],
        Timestamp = timeProvider.GetUtcNow(),
        Locale = record.Locale,
    };

    private static ChannelAccount Bot(DirectLineOptions settings) => new() { Id = settings.BotId, Name = settings.BotName, Role = RoleTypes.Bot };

    private static IResult? Limit(HttpContext context, PartitionedRateLimiter<string> limiter, string conversationId)
    {
        using var lease = limiter.AttemptAcquire(conversationId);
        if (lease.IsAcquired)
        {
            return null;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Error(429, DirectLineErrors.TooManyRequests, "Too many requests for this conversation; retry after the time in Retry-After.");
    }

    /// <summary>
    /// A browser on another origin may call only when its origin is configured or trusted by the token; the
    /// allowed origin is echoed so the browser lets the page read the answer.
    /// </summary>
    private IResult? CheckOrigin(HttpContext context, DirectLineCaller caller)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }
        var allowed = string.Equals(origin, new Uri(BaseUrl(context)).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || options.CurrentValue.AllowedOrigins.Exists(entry => string.Equals(entry.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
            || caller.Token?.TrustedOrigins?.Any(entry => string.Equals(entry, origin, StringComparison.OrdinalIgnoreCase)) == true;
        if (!allowed)
        {
            return Error(403, DirectLineErrors.Forbidden, "This origin may not use the conversation.");
        }
        context.Response.Headers.AccessControlAllowOrigin = origin;
        context.Response.Headers.AccessControlExposeHeaders = "Retry-After";
        context.Response.Headers.Vary = "Origin";
        return null;
    }

    private string BaseUrl(HttpContext context) =>
        options.CurrentValue.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private string StreamUrl(HttpContext context, string conversationId, long watermark, string token)
    {
        var baseUrl = BaseUrl(context);
        var ws = baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + baseUrl[8..] : "ws://" + baseUrl[(baseUrl.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return $"{ws}/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/stream?watermark={watermark.ToString(CultureInfo.InvariantCulture)}&t={Uri.EscapeDataString(token)}";
    }

    /// <summary>The stream URL carries its own short-lived, stream-only token, never the conversation token itself.</summary>
    private string StreamUrl(HttpContext context, DirectLineConversationRecord record, DirectLineCaller caller, long watermark)
    {
        var claims = caller.Token ?? new DirectLineTokenClaims(record.UserId, record.Id, record.UserName, record.BindingId);
        var (streamToken, _) = tokens.Issue(claims with { StreamOnly = true });
        return StreamUrl(context, record.Id, watermark, streamToken);
    }

    private static long ParseWatermark(HttpContext context) =>
        long.TryParse(context.Request.Query["watermark"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var watermark) ? watermark : 0;

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <summary>The posted activity, checked by the same <see cref="ActivityValidator"/> as <c>/api/messages</c>.</summary>
    private async Task<(Activity? Activity, IResult? Failure)> ReadActivityAsync(HttpContext context)
    {
        var (bytes, failure) = await ReadBytesAsync(context).ConfigureAwait(false);
        if (failure is not null)
        {
            return (null, failure);
        }
        if (bytes!.Length == 0)
        {
            return (null, Error(400, DirectLineErrors.MissingProperty, "A JSON body is required."));
        }
        var read = ActivityValidator.Read(bytes);
        return read.IsValid ? (read.Activity, null) : (null, Error(400, DirectLineErrors.BadArgument, $"The activity is not valid: {read.Summary}."));
    }

    private async Task<(byte[]? Body, IResult? Failure)> ReadBytesAsync(HttpContext context)
    {
        var limit = options.CurrentValue.MaxActivityBytes;
        if (context.Request.ContentLength > limit)
        {
            return (null, Error(413, DirectLineErrors.PayloadTooLarge, $"Bodies up to {limit} bytes are accepted."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, Error(413, DirectLineErrors.PayloadTooLarge, $"Bodies up to {limit} bytes are accepted."));
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private async Task<(T? Body, IResult? Failure)> ReadBodyAsync<T>(HttpContext context, bool allowEmpty) where T : class
    {
        var (bytes, failure) = await ReadBytesAsync(context).ConfigureAwait(false);
        if (failure is not null)
        {
            return (null, failure);
        }
        if (bytes!.Length == 0)
        {
            return allowEmpty ? (null, null) : (null, Error(400, DirectLineErrors.MissingProperty, "A JSON body is required."));
        }
        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, BotJson.Options);
            return body is null && !allowEmpty ? (null, Error(400, DirectLineErrors.BadArgument, "A JSON object is required.")) : (body, null);
        }
        catch (JsonException)
        {
            // The parser's message may quote the body (a session id, a card number): say only that it is not JSON.
            return (null, Error(400, DirectLineErrors.BadArgument, "The body is not valid JSON of the expected shape."));
        }
    }

    private static IResult Json<T>(T value, int status) => Results.Json(value, BotJson.Options, statusCode: status);

    /// <summary>A signed-out conversation: 403 TokenExpired, which clients already handle by getting a new token (a new chat).</summary>
    private static IResult Revoked() => Error(403, DirectLineErrors.TokenExpired, DirectLineTokenService.RevokedMessage);

    internal static IResult Error(int status, string code, string message) => Results.Json(DirectLineErrors.Body(code, message), BotJson.Options, statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "A client retried a post (same clientActivityID); answered with the first post's id, no second turn")]
    private static partial void LogRetry(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /api/session-bindings was called but DirectLine:SessionBindingSecret is not configured")]
    private static partial void LogBindingsNotConfigured(ILogger logger);
}

/// <summary>The per-conversation flood limits: one for posts, one for everything else a client does.</summary>
public sealed class DirectLineRateLimits : IDisposable
{
    public DirectLineRateLimits(IOptions<DirectLineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Posts = Create(settings.MaxPostsPerWindow, settings.RateLimitWindow);
        Reads = Create(settings.MaxReadsPerWindow, settings.RateLimitWindow);
    }

    public PartitionedRateLimiter<string> Posts { get; }

    public PartitionedRateLimiter<string> Reads { get; }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(conversationId => RateLimitPartition.GetFixedWindowLimiter(conversationId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        Posts.Dispose();
        Reads.Dispose();
    }
}
