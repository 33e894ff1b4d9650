using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AriaBot.Web;

/// <summary>
/// <see cref="WebOptions.ChatTokensPerMinute"/> per client address for <c>POST /portal/chat-token</c>. Its own
/// limiter rather than a policy of the host's rate-limiting middleware: the host's limiter answers rejections with
/// the sign-in page's HTML, and this endpoint answers JSON.
/// </summary>
internal sealed class ChatTokenLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public ChatTokenLimiter(IOptions<WebOptions> options)
    {
        var perMinute = options.Value.ChatTokensPerMinute;
        // Behind a proxy the remote address is the proxy's unless forwarded headers are enabled.
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var limiter = context.HttpContext.RequestServices.GetRequiredService<ChatTokenLimiter>();
        using var lease = limiter._limiter.AttemptAcquire(context.HttpContext);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { error = new { code = "TooManyRequests", message = "Too many chat tokens from this address; try again shortly." } }, statusCode: StatusCodes.Status429TooManyRequests);
        }
        return await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
