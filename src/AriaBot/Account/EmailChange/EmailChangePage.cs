using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.SignIn;
using Microsoft.AspNetCore.Antiforgery;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// The page the code sent to the new address is entered on, built like the sign-in page (its headers, style,
/// antiforgery and frame): <c>GET /email-change?state=…</c> shows the form and changes nothing; only the <c>POST</c>
/// checks the code. No script; no body or query is logged; nothing typed is written back into a page.
/// </summary>
internal static class EmailChangePage
{
    internal const string StateField = "state";
    internal const string CodeField = "code";

    private const int MaxBodyBytes = 8 * 1024;
    private const int MaxCodeLength = 20;

    public static IEndpointRouteBuilder MapEmailChangePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(EmailChanges.PagePath, GetAsync);
        endpoints.MapPost(EmailChanges.PagePath, PostAsync);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, EmailChanges changes, IAntiforgery antiforgery, IWords words)
    {
        var states = context.Request.Query[StateField];
        var state = states.Count == 1 ? states[0] : null;
        var (usable, linkLocale) = await changes.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? SignInPage.BrowserLocale(context);
        return usable
            ? Form(context, antiforgery, words, locale, state!, null, StatusCodes.Status200OK)
            : Message(words, locale, StatusCodes.Status410Gone, EmailChangeWords.PageLinkUnusableTitle, EmailChangeWords.PageLinkUnusable);
    }

    private static async Task<IResult> PostAsync(HttpContext context, EmailChanges changes, IAntiforgery antiforgery, IWords words)
    {
        var browserLocale = SignInPage.BrowserLocale(context);
        // Per client address, in the state store so the limit holds across instances; counted before anything else.
        if (await changes.TakePostFromAsync(context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } retryAfter)
        {
            return Message(words, browserLocale, StatusCodes.Status429TooManyRequests, EmailChangeWords.PageRateLimitedTitle, EmailChangeWords.PageRateLimited, retryAfter);
        }
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, MaxBodyBytes, maxValues: 8, maxValueLength: 2048).ConfigureAwait(false);
        if (form is null)
        {
            return Message(words, browserLocale, refusal, EmailChangeWords.PageBadRequestTitle, EmailChangeWords.PageBadRequest);
        }

        var state = SecurePageHtml.Single(form, StateField);
        var (usable, linkLocale) = await changes.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? browserLocale;
        if (!usable)
        {
            return Message(words, locale, StatusCodes.Status410Gone, EmailChangeWords.PageLinkUnusableTitle, EmailChangeWords.PageLinkUnusable);
        }
        var code = SecurePageHtml.Single(form, CodeField)?.Trim();
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeLength)
        {
            return Form(context, antiforgery, words, locale, state!, words.Format(EmailChangeWords.PageMissingCode, locale), StatusCodes.Status400BadRequest);
        }
        var result = await changes.VerifyAsync(state!, code, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            EmailCodeOutcome.Verified => Message(words, locale, StatusCodes.Status200OK, EmailChangeWords.PageVerifiedTitle, EmailChangeWords.PageVerified),
            EmailCodeOutcome.WrongCode => Form(context, antiforgery, words, locale, state!,
                words.Format(EmailChangeWords.PageWrongCode, locale, new { attemptsLeft = result.AttemptsLeft.ToString(CultureInfo.InvariantCulture) }), StatusCodes.Status422UnprocessableEntity),
            EmailCodeOutcome.Locked => Message(words, locale, StatusCodes.Status403Forbidden, EmailChangeWords.PageLockedTitle, EmailChangeWords.PageLocked),
            EmailCodeOutcome.CodeEnded => Message(words, locale, StatusCodes.Status410Gone, EmailChangeWords.PageCodeEndedTitle, EmailChangeWords.PageCodeEnded),
            _ => Message(words, locale, StatusCodes.Status410Gone, EmailChangeWords.PageLinkUnusableTitle, EmailChangeWords.PageLinkUnusable),
        };
    }

    private static SignInPage.HtmlPage Form(HttpContext context, IAntiforgery antiforgery, IWords words, string locale, string state, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(words.Format(EmailChangeWords.PageTitle, locale))).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(EmailChangeWords.PageIntro, locale))).Append("</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(Encode(context.Request.PathBase + EmailChanges.PagePath)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(StateField).Append("\" value=\"").Append(Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        html.Append("<label for=\"").Append(CodeField).Append("\">").Append(Encode(words.Format(EmailChangeWords.PageCodeLabel, locale))).Append("</label>\n");
        html.Append("<input id=\"").Append(CodeField).Append("\" name=\"").Append(CodeField)
            .Append("\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"10\" required autofocus>\n");
        html.Append("<button type=\"submit\">").Append(Encode(words.Format(EmailChangeWords.PageSubmit, locale))).Append("</button>\n</form>\n");
        return new SignInPage.HtmlPage(status, Document(words, locale, words.Format(EmailChangeWords.PageTitle, locale), html.ToString(), context.Request.PathBase));
    }

    private static SignInPage.HtmlPage Message(IWords words, string locale, int status, WordKey title, WordKey text, TimeSpan retryAfter = default)
    {
        var heading = words.Format(title, locale);
        var html = $"<h1>{Encode(heading)}</h1>\n<p class=\"intro\">{Encode(words.Format(text, locale))}</p>\n";
        return new SignInPage.HtmlPage(status, Document(words, locale, heading, html, PathString.Empty), retryAfter);
    }

    private static string Document(IWords words, string locale, string title, string body, PathString pathBase) =>
        SecurePageHtml.Document(locale, words.Format(SignInWords.PageHeader, locale), title, body, pathBase);

    private static string Encode(string text) => SecurePageHtml.Encode(text);
}
