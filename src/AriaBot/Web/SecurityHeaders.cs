using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AriaBot.Web;

/// <summary>
/// The headers every page gets. On every response: <c>X-Content-Type-Options: nosniff</c> and
/// <c>Referrer-Policy: no-referrer</c> (links the bot sends may carry one-time parameters; no other site needs to
/// see our URLs). On HTML pages and <c>/portal/*</c>: the Content Security Policy below with
/// <c>frame-ancestors</c> from <see cref="WebOptions.FrameAncestors"/>, and <c>Cache-Control: no-store</c>, because
/// these show account data and a back button or a shared cache must not bring them back after sign-out.
/// A page that sets its own CSP keeps it (a secure form may need a stricter one).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The SHA-256 of the empty string. Web Chat's styling library (emotion, in its production "speedy" mode) adds
    /// empty <c>&lt;style&gt;</c> elements and fills them through the CSSOM (<c>insertRule</c>), which CSP does not
    /// govern; allowing exactly the empty inline style is what it needs, and unlike <c>'unsafe-inline'</c> it lets no
    /// injected style text through. The browser suite fails on any CSP violation, so a Web Chat that starts writing
    /// style text shows up there.
    /// </summary>
    public const string EmptyInlineStyleHash = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

    /// <summary>
    /// The policy, without <c>frame-ancestors</c>. Why each directive:
    /// <list type="bullet">
    /// <item><c>default-src 'none'</c>: anything not listed (fonts, frames, media, workers, objects) is refused.</item>
    /// <item><c>script-src 'self'</c>: our script and the Web Chat bundle, both served by the app; no inline script and
    /// no <c>'unsafe-eval'</c> (Web Chat 4.18.1 renders cards, markdown and suggested actions without eval).</item>
    /// <item><c>style-src 'self'</c> + the empty-style hash: our stylesheet, and Web Chat's CSSOM-filled style elements.</item>
    /// <item><c>img-src 'self'</c>: our avatar, logo and typing/spinner images (the page replaces Web Chat's default
    /// animations, which are <c>blob:</c> GIFs).</item>
    /// <item><c>connect-src 'self'</c>: <c>/portal/*</c> and Direct Line under <c>/v3/directline</c>; CSP Level 3's
    /// <c>'self'</c> also covers the same host's <c>ws:</c>/<c>wss:</c> stream.</item>
    /// <item><c>base-uri 'none'</c> and <c>form-action 'self'</c>: an injected base or form cannot redirect links or posts.</item>
    /// </list>
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' " + EmptyInlineStyleHash + "; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'";

    /// <summary><c>'self'</c>, or an http(s) origin with nothing after the authority.</summary>
    public static bool IsFrameAncestor(string value) =>
        value == "'self'"
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && !uri.Host.Contains('*', StringComparison.Ordinal)
            && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The full policy for these options (with <c>frame-ancestors</c>).</summary>
    public static string PolicyFor(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ancestors = options.FrameAncestors.Count == 0 ? "'none'" : string.Join(' ', options.FrameAncestors.Select(a => a.TrimEnd('/')));
        return $"{ContentSecurityPolicy}; frame-ancestors {ancestors}";
    }

    internal static bool IsPortalPath(PathString path) => path.StartsWithSegments("/portal", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Adds <see cref="SecurityHeaders"/> as the response starts, when its content type is known.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<WebOptions> options)
{
    private readonly string _policy = SecurityHeaders.PolicyFor(options.Value);

    private readonly string? _strictTransportSecurity = options.Value.StrictTransportSecurityMaxAge > TimeSpan.Zero
        ? $"max-age={(long)options.Value.StrictTransportSecurityMaxAge.TotalSeconds}"
        : null;

    // X-Frame-Options for browsers without frame-ancestors; it can only say DENY or SAMEORIGIN.
    private readonly string? _frameOptions = options.Value.FrameAncestors switch
    {
        [] => "DENY",
        ["'self'"] => "SAMEORIGIN",
        _ => null,
    };

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (_strictTransportSecurity is not null && context.Request.IsHttps && !IsLoopback(context.Request.Host))
            {
                headers.StrictTransportSecurity = _strictTransportSecurity;
            }
            var isHtml = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            if (isHtml || SecurityHeaders.IsPortalPath(context.Request.Path))
            {
                if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = _policy;
                    if (_frameOptions is not null)
                    {
                        headers.XFrameOptions = _frameOptions;
                    }
                }
                headers.CacheControl = "no-store";
                // Static files answer conditional requests from these; with no-store there is nothing to revalidate.
                headers.Remove(HeaderNames.ETag);
                headers.Remove(HeaderNames.LastModified);
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsLoopback(HostString host) =>
        host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
