using System.Net;
using AriaBot.Language;

namespace AriaBot.Account.Statements;

/// <summary>
/// <c>GET /statement?s=…</c>: a small page with one button (a link previewer's GET spends nothing);
/// <c>POST /statement</c>: spends the link and answers with Aria's statement. Aria's HTML is never a live page on the
/// bot's origin: it is served with <c>Content-Security-Policy: sandbox</c> (a unique origin, no scripts, no forms) and
/// <c>default-src 'none'</c> (nothing loaded from anywhere). Every answer is <c>no-store</c> and <c>no-referrer</c>.
/// The token in the body is the only authority (no cookie is involved), so a cross-site post has nothing to ride on.
/// Every request is counted per client address (<see cref="StatementLinkOptions.RequestsPerIp"/>): over it, 429 and nothing spent.
/// </summary>
public static class StatementPage
{
    public const string Path = "/statement";

    public static WebApplication MapStatementPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, async (HttpContext http, StatementLinks links, IWords words, CancellationToken cancellationToken) =>
        {
            var token = http.Request.Query["s"].ToString();
            var locale = Locale(http);
            if (await links.TakeRequestFromAsync(http.Connection.RemoteIpAddress, cancellationToken).ConfigureAwait(false) is { } wait)
            {
                return Limited(http, wait, words.Format(StatementWords.PageRateLimited, locale));
            }
            if (!await links.IsUsableAsync(token, cancellationToken).ConfigureAwait(false))
            {
                return Page(http, StatusCodes.Status410Gone, words.Format(StatementWords.PageGone, locale));
            }
            var form = $"<form method=\"post\" action=\"{Path}\"><input type=\"hidden\" name=\"s\" value=\"{WebUtility.HtmlEncode(token)}\"><button type=\"submit\">{WebUtility.HtmlEncode(words.Format(StatementWords.PageOpen, locale))}</button></form>";
            return Page(http, StatusCodes.Status200OK, words.Format(StatementWords.PageIntro, locale), form);
        });
        app.MapPost(Path, async (HttpContext http, StatementLinks links, IWords words, CancellationToken cancellationToken) =>
        {
            var locale = Locale(http);
            // Counted before the link is read or spent: guessing links from one address is slowed down, a customer is not.
            if (await links.TakeRequestFromAsync(http.Connection.RemoteIpAddress, cancellationToken).ConfigureAwait(false) is { } wait)
            {
                return Limited(http, wait, words.Format(StatementWords.PageRateLimited, locale));
            }
            string? token = null;
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                token = form["s"].ToString();
            }
            var result = await links.RedeemAsync(token, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case StatementOutcome.Statement:
                    Protect(http);
                    http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                    return Results.Content(result.Html, "text/html; charset=utf-8");
                case StatementOutcome.NotSignedIn:
                    return Page(http, StatusCodes.Status403Forbidden, words.Format(StatementWords.PageSignIn, locale));
                case StatementOutcome.Unavailable:
                    return Page(http, StatusCodes.Status503ServiceUnavailable, words.Format(StatementWords.PageUnavailable, locale));
                default:
                    return Page(http, StatusCodes.Status410Gone, words.Format(StatementWords.PageGone, locale));
            }
        });
        return app;
    }

    /// <summary>Our own pages: no script, no style from anywhere, no framing.</summary>
    private static IResult Page(HttpContext http, int status, string message, string? form = null)
    {
        Protect(http);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{WebUtility.HtmlEncode(message)}</title></head><body><p>{WebUtility.HtmlEncode(message)}</p>{form}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>429 with <c>Retry-After</c>; the link is not spent.</summary>
    private static IResult Limited(HttpContext http, TimeSpan wait, string message)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page(http, StatusCodes.Status429TooManyRequests, message);
    }

    private static void Protect(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.XFrameOptions = "DENY";
    }

    /// <summary>The browser's language decides the page's few words (the link carries none).</summary>
    private static string Locale(HttpContext http) =>
        http.Request.Headers.AcceptLanguage.ToString().StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es-ES" : "en-US";
}
