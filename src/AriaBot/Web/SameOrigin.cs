namespace AriaBot.Web;

/// <summary>
/// The portal's POSTs (sign-in, sign-out, token minting) answer only the page's own origin. The browser says where
/// a request comes from in <c>Sec-Fetch-Site</c> (set by the browser, so a proxy that rewrites the host does not
/// confuse it) or, in older browsers, <c>Origin</c>; a request with neither (a script, another server) is refused
/// too. Together with the SameSite=Strict cookie this is the CSRF defence, without an antiforgery token round trip.
/// </summary>
internal static class SameOrigin
{
    public static bool Allows(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0)
        {
            return site.ToString() == "same-origin";
        }
        var origin = request.Headers.Origin;
        return origin.Count > 0 && string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Allows(context.HttpContext.Request)
            ? await next(context)
            : Results.Json(new { error = "cross-origin requests are refused" }, statusCode: StatusCodes.Status403Forbidden);
}
