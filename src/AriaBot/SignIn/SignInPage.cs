using System.Globalization;
using System.Text;
using AriaBot.Language;
using BotRuntime.Recognition;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>
/// The sign-in page: <c>GET /signin?state=…</c> shows the form, <c>POST /signin</c> signs in with Aria and shows the
/// 6-digit code. Server-rendered HTML without any script; every answer carries <c>Cache-Control: no-store</c>, a
/// strict Content-Security-Policy, <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c> and
/// <c>X-Frame-Options: DENY</c>. The form is protected by an antiforgery token. Bad input gets a plain page with a
/// 4xx status, never an exception page. The page speaks the conversation's language (en-US or es-ES), else the
/// browser's (<c>Accept-Language</c>).
/// </summary>
internal static partial class SignInPage
{
    public const string Path = "/signin";
    public const string StylesheetPath = "/signin/signin.css";

    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Field names of the form (the antiforgery field is the framework's default name).
    internal const string StateField = "state";
    internal const string UserIdField = "userId";
    internal const string PasswordField = "password";

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxUserIdLength = 100;
    private const int MaxPasswordLength = 200;

    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, GetAsync);
        endpoints.MapPost(Path, PostAsync);
        endpoints.MapGet(StylesheetPath, Stylesheet);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, SignInLinks links, IAntiforgery antiforgery, IWords words)
    {
        var states = context.Request.Query[StateField];
        var state = states.Count == 1 ? states[0] : null;
        var link = await links.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = link.Locale ?? BrowserLocale(context);
        if (!link.IsUsable)
        {
            return Message(words, locale, StatusCodes.Status410Gone, SignInWords.PageLinkUnusableTitle, SignInWords.PageLinkUnusable);
        }
        return Form(context, antiforgery, words, locale, state!, error: null, StatusCodes.Status200OK);
    }

    /// <summary>
    /// Every answer to the form's post, whatever it is, leaves no sooner than <see cref="SignInOptions.MinimumResponseTime"/>
    /// after the post arrived (on the host's <see cref="TimeProvider"/>): how long Aria took — longer for a user id that
    /// exists — must not show in how long the page took.
    /// </summary>
    private static async Task<IResult> PostAsync(HttpContext context, SignInLinks links, IAntiforgery antiforgery, IWords words, IOptionsMonitor<SignInOptions> options, TimeProvider timeProvider)
    {
        var started = timeProvider.GetTimestamp();
        var answer = await AnswerPostAsync(context, links, antiforgery, words, options).ConfigureAwait(false);
        var left = options.CurrentValue.MinimumResponseTime - timeProvider.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(left, timeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The browser went away; nobody is left to see the answer or its timing.
            }
        }
        return answer;
    }

    private static async Task<IResult> AnswerPostAsync(HttpContext context, SignInLinks links, IAntiforgery antiforgery, IWords words, IOptionsMonitor<SignInOptions> options)
    {
        var browserLocale = BrowserLocale(context);
        // Per client address, in the state store so the limit holds across instances; counted before anything else
        // (as a rate limiter in front of the endpoint would), every post alike.
        if (await links.TakePostFromAsync(context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } retryAfter)
        {
            return Message(words, browserLocale, StatusCodes.Status429TooManyRequests, SignInWords.PageRateLimitedTitle, SignInWords.PageRateLimited, retryAfter);
        }
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, MaxBodyBytes, maxValues: 16, maxValueLength: 4096).ConfigureAwait(false);
        if (form is null)
        {
            return BadRequest(words, browserLocale, refusal);
        }

        var state = Single(form, StateField);
        var link = await links.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = link.Locale ?? browserLocale;
        if (!link.IsUsable)
        {
            return Message(words, locale, StatusCodes.Status410Gone, SignInWords.PageLinkUnusableTitle, SignInWords.PageLinkUnusable);
        }

        var userId = Single(form, UserIdField)?.Trim();
        var password = Single(form, PasswordField);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(password))
        {
            return Form(context, antiforgery, words, locale, state!, SignInWords.PageMissingFields, StatusCodes.Status400BadRequest);
        }
        if (userId.Length > MaxUserIdLength || password.Length > MaxPasswordLength)
        {
            // No account has credentials this long; saying so reveals nothing about any account.
            return Form(context, antiforgery, words, locale, state!, SignInWords.PageWrongCredentials, StatusCodes.Status200OK);
        }

        var submission = await links.SubmitAsync(state!, userId, password, context.RequestAborted).ConfigureAwait(false);
        return submission.Outcome switch
        {
            SubmissionOutcome.CodeIssued => CodePage(words, locale, submission.Code!, options.CurrentValue.CodeLifetime),
            SubmissionOutcome.WrongCredentials => Form(context, antiforgery, words, locale, state!, SignInWords.PageWrongCredentials, StatusCodes.Status200OK),
            SubmissionOutcome.RateLimited => Message(words, locale, StatusCodes.Status429TooManyRequests, SignInWords.PageRateLimitedTitle, SignInWords.PageRateLimited, submission.RetryAfter),
            SubmissionOutcome.Unavailable => Message(words, locale, StatusCodes.Status503ServiceUnavailable, SignInWords.PageUnavailableTitle, SignInWords.PageUnavailable),
            _ => Message(words, locale, StatusCodes.Status410Gone, SignInWords.PageLinkUnusableTitle, SignInWords.PageLinkUnusable),
        };
    }

    private static IResult Stylesheet(IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(StylesheetPath.TrimStart('/'));
        return file.Exists && file.PhysicalPath is { } path
            ? Results.File(path, "text/css; charset=utf-8")
            : Results.NotFound();
    }

    // ---- pages ----

    private static HtmlPage Form(HttpContext context, IAntiforgery antiforgery, IWords words, string locale, string state, WordKey? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(words.Format(SignInWords.PageTitle, locale))).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(SignInWords.PageIntro, locale))).Append("</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(words.Format(error, locale))).Append("</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(Encode(context.Request.PathBase + Path)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(StateField).Append("\" value=\"").Append(Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        html.Append("<label for=\"userId\">").Append(Encode(words.Format(SignInWords.PageUserIdLabel, locale))).Append("</label>\n");
        html.Append("<input id=\"userId\" name=\"").Append(UserIdField).Append("\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"")
            .Append(MaxUserIdLength.ToString(CultureInfo.InvariantCulture)).Append("\" autofocus>\n");
        html.Append("<label for=\"password\">").Append(Encode(words.Format(SignInWords.PagePasswordLabel, locale))).Append("</label>\n");
        html.Append("<input id=\"password\" name=\"").Append(PasswordField).Append("\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"")
            .Append(MaxPasswordLength.ToString(CultureInfo.InvariantCulture)).Append("\">\n");
        html.Append("<button type=\"submit\">").Append(Encode(words.Format(SignInWords.PageSubmit, locale))).Append("</button>\n");
        html.Append("</form>\n");
        html.Append("<p class=\"note\">").Append(Encode(words.Format(SignInWords.PagePasswordNote, locale))).Append("</p>\n");
        if (context.RequestServices.GetService<IOptionsMonitor<SelfService.SelfServiceOptions>>()?.CurrentValue.Sections.PasswordReset == true)
        {
            // The reset starts in the chat this page belongs to (it asks for the user id there, never here): a post, so
            // the state never travels in a URL, with the page's antiforgery token.
            ForgotPasswordPage.AppendButton(html, context, tokens, words, locale, state);
        }
        return new HtmlPage(status, Document(words, locale, words.Format(SignInWords.PageTitle, locale), html.ToString(), context.Request.PathBase));
    }

    private static HtmlPage CodePage(IWords words, string locale, string code, TimeSpan lifetime)
    {
        var minutes = ((int)Math.Round(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(words.Format(SignInWords.PageCodeTitle, locale))).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(SignInWords.PageCodeIntro, locale))).Append("</p>\n");
        // Shown in two groups of three for reading aloud and typing; the chat accepts it with or without the space.
        html.Append("<p class=\"code\">").Append(code[..3]).Append(' ').Append(code[3..]).Append("</p>\n");
        html.Append("<p class=\"note\">").Append(Encode(words.Format(SignInWords.PageCodeNote, locale, new { minutes }))).Append("</p>\n");
        return new HtmlPage(StatusCodes.Status200OK, Document(words, locale, words.Format(SignInWords.PageCodeTitle, locale), html.ToString(), PathString.Empty));
    }

    private static HtmlPage Message(IWords words, string locale, int status, WordKey title, WordKey text, TimeSpan retryAfter = default)
    {
        var heading = words.Format(title, locale);
        var html = $"<h1>{Encode(heading)}</h1>\n<p class=\"intro\">{Encode(words.Format(text, locale))}</p>\n";
        return new HtmlPage(status, Document(words, locale, heading, html, PathString.Empty), retryAfter);
    }

    private static HtmlPage BadRequest(IWords words, string locale, int status) =>
        Message(words, locale, status, SignInWords.PageBadRequestTitle, SignInWords.PageBadRequest);

    private static string Document(IWords words, string locale, string title, string body, PathString pathBase) =>
        SecurePageHtml.Document(locale, words.Format(SignInWords.PageHeader, locale), title, body, pathBase);

    private static string Encode(string text) => SecurePageHtml.Encode(text);

    private static string? Single(IFormCollection form, string name) => SecurePageHtml.Single(form, name);

    /// <summary>The browser's preferred supported language: es-* gets Spanish, anything else English.</summary>
    internal static string BrowserLocale(HttpContext context)
    {
        try
        {
            var preferred = context.Request.GetTypedHeaders().AcceptLanguage
                .Where(l => l.Quality is null or > 0)
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value)
                .FirstOrDefault(l => l is { Length: > 0 } && l != "*");
            return BotCulture.Resolve(preferred).Name;
        }
        catch (FormatException)
        {
            return BotCulture.Default.Name;
        }
    }

    /// <summary>An HTML answer with the page's security headers, set last so nothing earlier can loosen them.</summary>
    internal sealed class HtmlPage(int status, string html, TimeSpan retryAfter = default) : IResult
    {
        public int StatusCode => status;

        public string Html => html;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            ApplySecurityHeaders(response.Headers);
            if (retryAfter > TimeSpan.Zero)
            {
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            return response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
        }
    }

    internal static void ApplySecurityHeaders(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
    }
}
