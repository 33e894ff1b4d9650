using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.AspNetCore.Http;

namespace BotRuntime.DirectLine;

/// <summary>What every request is checked for: credentials, the conversation it may open, its origin, its rate and its body; and the error shape.</summary>
public sealed partial class DirectLineEndpoints
{
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

    /// <param name="read">How the record is read, when not on its own (a poll reads the log's next entries with it).</param>
    private async Task<(DirectLineCaller? Caller, Stored<DirectLineConversationRecord>? Entry, IResult? Failure)> OpenConversationEntryAsync(HttpContext context, string conversationId, PartitionedRateLimiter<string> limiter,
        Func<CancellationToken, Task<Stored<DirectLineConversationRecord>?>>? read = null)
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
        var entry = read is null
            ? await store.ReadConversationAsync(conversationId, context.RequestAborted).ConfigureAwait(false)
            : await read(context.RequestAborted).ConfigureAwait(false);
        if (entry is null)
        {
            return (null, null, Error(404, DirectLineErrors.NotFound, "Unknown conversation."));
        }
        return caller.Token is not null && entry.Value.TokensRevokedAt is not null ? (null, null, Revoked()) : (caller, entry, null);
    }

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
}
