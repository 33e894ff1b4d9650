using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// The secure payment-method page: <c>GET /payment-method?state=…</c> shows the card form (and uses nothing: a link
/// preview leaves the link as it was), <c>POST /payment-method</c> sends the card to Aria. Server-rendered HTML
/// without any script, built like the sign-in page: antiforgery, <c>Cache-Control: no-store</c>,
/// <c>Referrer-Policy: no-referrer</c>, a strict CSP whose <c>frame-ancestors</c> is the configured portal (or none),
/// nothing of the body or query in any log, and the typed card never written back into a page.
/// </summary>
internal static class PaymentMethodPage
{
    public const string Path = "/payment-method";

    internal const string StateField = "state";
    internal const string NumberField = "cardNumber";
    internal const string MonthField = "expiryMonth";
    internal const string YearField = "expiryYear";
    internal const string CvvField = "cvv";

    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapPaymentMethodPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, GetAsync);
        endpoints.MapPost(Path, PostAsync);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, PaymentMethodLinks links, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PaymentMethodOptions> options)
    {
        var states = context.Request.Query[StateField];
        var state = states.Count == 1 ? states[0] : null;
        var link = await links.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = link.Locale ?? SignInPage.BrowserLocale(context);
        if (!link.IsUsable)
        {
            return Message(words, options, locale, StatusCodes.Status410Gone, PaymentMethodsWords.PageLinkUnusableTitle, PaymentMethodsWords.PageLinkUnusable);
        }
        return Form(context, antiforgery, words, options, locale, state!, link.Replaces, error: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> PostAsync(HttpContext context, PaymentMethodLinks links, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PaymentMethodOptions> options, TimeProvider timeProvider)
    {
        var browserLocale = SignInPage.BrowserLocale(context);
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, MaxBodyBytes, maxValues: 16, maxValueLength: 4096).ConfigureAwait(false);
        if (form is null)
        {
            return BadRequest(words, options, browserLocale, refusal);
        }

        var state = Single(form, StateField);
        var link = await links.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = link.Locale ?? browserLocale;
        if (!link.IsUsable)
        {
            return Message(words, options, locale, StatusCodes.Status410Gone, PaymentMethodsWords.PageLinkUnusableTitle, PaymentMethodsWords.PageLinkUnusable);
        }
        // Checked here, before anything is counted or sent: a typing mistake costs no attempt and keeps the link.
        var (card, mistake) = Read(form, timeProvider.GetUtcNow());
        if (card is null)
        {
            return Form(context, antiforgery, words, options, locale, state!, link.Replaces, mistake, StatusCodes.Status400BadRequest);
        }

        var submitted = await links.SubmitAsync(state!, card, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false);
        return submitted.Outcome switch
        {
            SubmitOutcome.Added => Message(words, options, locale, StatusCodes.Status200OK, PaymentMethodsWords.PageAddedTitle,
                PaymentMethodsWords.Format(words, PaymentMethodsWords.PageAdded, locale, submitted.Card!)),
            SubmitOutcome.CardRefused => Form(context, antiforgery, words, options, locale, state!, link.Replaces, PaymentMethodsWords.PageRefused, StatusCodes.Status422UnprocessableEntity),
            SubmitOutcome.RateLimited => Message(words, options, locale, StatusCodes.Status429TooManyRequests, PaymentMethodsWords.PageRateLimitedTitle, PaymentMethodsWords.PageRateLimited),
            SubmitOutcome.SessionExpired or SubmitOutcome.AccountChanged => Message(words, options, locale, StatusCodes.Status403Forbidden,
                PaymentMethodsWords.PageSessionExpiredTitle, PaymentMethodsWords.PageSessionExpired),
            SubmitOutcome.Unavailable => Message(words, options, locale, StatusCodes.Status503ServiceUnavailable, PaymentMethodsWords.PageUnavailableTitle, PaymentMethodsWords.PageUnavailable),
            SubmitOutcome.Unknown => Message(words, options, locale, StatusCodes.Status502BadGateway, PaymentMethodsWords.PageUnknownTitle, PaymentMethodsWords.PageUnknown),
            _ => Message(words, options, locale, StatusCodes.Status410Gone, PaymentMethodsWords.PageLinkUnusableTitle, PaymentMethodsWords.PageLinkUnusable),
        };
    }

    /// <summary>The card from the form, or which field is wrong. Spaces and dashes in the number are fine.</summary>
    internal static (CardInput? Card, WordKey? Mistake) Read(IFormCollection form, DateTimeOffset now)
    {
        var number = new string((Single(form, NumberField) ?? string.Empty).Where(c => c is not (' ' or '-')).ToArray());
        if (number.Length is < 13 or > 19 || !number.All(char.IsAsciiDigit) || !CardBrand.PassesLuhn(number))
        {
            return (null, PaymentMethodsWords.PageBadCard);
        }
        if (!int.TryParse(Single(form, MonthField), NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12
            || !int.TryParse(Single(form, YearField), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return (null, PaymentMethodsWords.PageBadExpiry);
        }
        year = year < 100 ? 2000 + year : year;
        var today = now.UtcDateTime;
        if (year > today.Year + 20 || year < today.Year || (year == today.Year && month < today.Month))
        {
            return (null, PaymentMethodsWords.PageBadExpiry);
        }
        var cvv = Single(form, CvvField)?.Trim() ?? string.Empty;
        if (cvv.Length is < 3 or > 4 || !cvv.All(char.IsAsciiDigit))
        {
            return (null, PaymentMethodsWords.PageBadCvv);
        }
        return (new CardInput(number, month, year, cvv), null);
    }

    // ---- pages ----

    private static PaymentPage Form(HttpContext context, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PaymentMethodOptions> options, string locale, string state, bool replaces,
        WordKey? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var title = words.Format(replaces ? PaymentMethodsWords.PageTitleReplace : PaymentMethodsWords.PageTitleAdd, locale);
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(PaymentMethodsWords.PageIntro, locale))).Append("</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(words.Format(error, locale))).Append("</p>\n");
        }
        // What was typed is never written back: a mistake means typing the card again.
        html.Append("<form method=\"post\" action=\"").Append(Encode(context.Request.PathBase + Path)).Append("\" autocomplete=\"on\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(StateField).Append("\" value=\"").Append(Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        Field(html, NumberField, words.Format(PaymentMethodsWords.PageNumberLabel, locale), "cc-number", 23, autofocus: true);
        Field(html, MonthField, words.Format(PaymentMethodsWords.PageMonthLabel, locale), "cc-exp-month", 2);
        Field(html, YearField, words.Format(PaymentMethodsWords.PageYearLabel, locale), "cc-exp-year", 4);
        Field(html, CvvField, words.Format(PaymentMethodsWords.PageCvvLabel, locale), "cc-csc", 4);
        html.Append("<button type=\"submit\">").Append(Encode(words.Format(PaymentMethodsWords.PageSubmit, locale))).Append("</button>\n");
        html.Append("</form>\n");
        html.Append("<p class=\"note\">").Append(Encode(words.Format(PaymentMethodsWords.PageNote, locale))).Append("</p>\n");
        return new PaymentPage(status, Document(words, locale, title, html.ToString(), context.Request.PathBase), options.CurrentValue.PortalOrigins);
    }

    private static void Field(StringBuilder html, string name, string label, string autocomplete, int maxLength, bool autofocus = false)
    {
        html.Append("<label for=\"").Append(name).Append("\">").Append(Encode(label)).Append("</label>\n");
        html.Append("<input id=\"").Append(name).Append("\" name=\"").Append(name).Append("\" type=\"text\" inputmode=\"numeric\" autocomplete=\"").Append(autocomplete)
            .Append("\" spellcheck=\"false\" required maxlength=\"").Append(maxLength.ToString(CultureInfo.InvariantCulture)).Append('"')
            .Append(autofocus ? " autofocus" : string.Empty).Append(">\n");
    }

    private static PaymentPage Message(IWords words, IOptionsMonitor<PaymentMethodOptions> options, string locale, int status, WordKey title, WordKey text) =>
        Message(words, options, locale, status, title, words.Format(text, locale));

    private static PaymentPage Message(IWords words, IOptionsMonitor<PaymentMethodOptions> options, string locale, int status, WordKey title, string text)
    {
        var heading = words.Format(title, locale);
        var html = $"<h1>{Encode(heading)}</h1>\n<p class=\"intro\">{Encode(text)}</p>\n";
        return new PaymentPage(status, Document(words, locale, heading, html, PathString.Empty), options.CurrentValue.PortalOrigins);
    }

    private static PaymentPage BadRequest(IWords words, IOptionsMonitor<PaymentMethodOptions> options, string locale, int status) =>
        Message(words, options, locale, status, PaymentMethodsWords.PageBadRequestTitle, PaymentMethodsWords.PageBadRequest);

    private static string Document(IWords words, string locale, string title, string body, PathString pathBase) =>
        SecurePageHtml.Document(locale, words.Format(PaymentMethodsWords.PageHeader, locale), title, body, pathBase);

    private static string Encode(string text) => SecurePageHtml.Encode(text);

    private static string? Single(IFormCollection form, string name) => SecurePageHtml.Single(form, name);

    /// <summary>The CSP: the sign-in page's, except that the configured portal may frame it.</summary>
    internal static string ContentSecurityPolicy(IReadOnlyCollection<string> portalOrigins) =>
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors "
        + (portalOrigins.Count == 0 ? "'none'" : string.Join(' ', portalOrigins.Select(origin => origin.TrimEnd('/'))))
        + "; base-uri 'none'";

    /// <summary>An HTML answer with the page's security headers, set last so nothing earlier can loosen them.</summary>
    internal sealed class PaymentPage(int status, string html, IReadOnlyCollection<string> portalOrigins) : IResult
    {
        public int StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            var headers = response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            headers.ContentSecurityPolicy = ContentSecurityPolicy(portalOrigins);
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (portalOrigins.Count == 0)
            {
                // X-Frame-Options cannot name several origins; with a portal configured, CSP frame-ancestors decides.
                headers.XFrameOptions = "DENY";
            }
            return response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
