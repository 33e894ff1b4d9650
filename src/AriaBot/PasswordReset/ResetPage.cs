using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

/// <summary>
/// The reset page, built like the sign-in page (and with its headers, style and antiforgery): <c>GET
/// /password-reset?state=…</c> shows the form (code, new password twice, the password rules); <c>POST</c> checks the
/// code and changes the password. Only the POST consumes anything. No script; no body or query is logged.
/// </summary>
internal static class ResetPage
{
    internal const string StateField = "state";
    internal const string CodeField = "code";
    internal const string PasswordField = "newPassword";
    internal const string ConfirmField = "confirmPassword";

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxFieldLength = 200;

    public static IEndpointRouteBuilder MapResetPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PasswordResets.PagePath, GetAsync);
        endpoints.MapPost(PasswordResets.PagePath, PostAsync);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, PasswordResets resets, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PasswordResetOptions> options)
    {
        var states = context.Request.Query[StateField];
        var state = states.Count == 1 ? states[0] : null;
        var (usable, linkLocale) = await resets.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? SignInPage.BrowserLocale(context);
        return usable
            ? Form(context, antiforgery, words, options.CurrentValue, locale, state!, null, StatusCodes.Status200OK)
            : Message(words, locale, StatusCodes.Status410Gone, PasswordResetWords.PageLinkUnusableTitle, PasswordResetWords.PageLinkUnusable);
    }

    /// <summary>Every answer leaves no sooner than <see cref="PasswordResetOptions.MinimumResponseTime"/> after the post arrived.</summary>
    private static async Task<IResult> PostAsync(HttpContext context, PasswordResets resets, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PasswordResetOptions> options, TimeProvider timeProvider)
    {
        var started = timeProvider.GetTimestamp();
        var answer = await AnswerAsync(context, resets, antiforgery, words, options.CurrentValue).ConfigureAwait(false);
        var left = options.CurrentValue.MinimumResponseTime - timeProvider.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(left, timeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // Nobody is left to see the answer.
            }
        }
        return answer;
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, PasswordResets resets, IAntiforgery antiforgery, IWords words, PasswordResetOptions settings)
    {
        var browserLocale = SignInPage.BrowserLocale(context);
        if (await resets.TakePostFromAsync(context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } retryAfter)
        {
            return Message(words, browserLocale, StatusCodes.Status429TooManyRequests, PasswordResetWords.PageRateLimitedTitle, PasswordResetWords.PageRateLimited, retryAfter);
        }
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, MaxBodyBytes, maxValues: 16, maxValueLength: 4096).ConfigureAwait(false);
        if (form is null)
        {
            return Message(words, browserLocale, refusal, PasswordResetWords.PageBadRequestTitle, PasswordResetWords.PageBadRequest);
        }

        var state = Single(form, StateField);
        var (usable, linkLocale) = await resets.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? browserLocale;
        if (!usable)
        {
            return Message(words, locale, StatusCodes.Status410Gone, PasswordResetWords.PageLinkUnusableTitle, PasswordResetWords.PageLinkUnusable);
        }
        var code = Single(form, CodeField)?.Trim();
        var password = Single(form, PasswordField);
        var confirmation = Single(form, ConfirmField);
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(password) || string.IsNullOrEmpty(confirmation)
            || code.Length > MaxFieldLength || password.Length > MaxFieldLength || confirmation.Length > MaxFieldLength)
        {
            return Form(context, antiforgery, words, settings, locale, state!, PageError(words, locale, PasswordResetWords.PageMissingFields), StatusCodes.Status400BadRequest);
        }

        var result = await resets.SubmitAsync(state!, code, password, confirmation, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            ResetSubmissionOutcome.Changed => Message(words, locale, StatusCodes.Status200OK, PasswordResetWords.PageChangedTitle, PasswordResetWords.PageChanged),
            ResetSubmissionOutcome.PasswordRejected => Form(context, antiforgery, words, settings, locale, state!, PageError(words, locale, PasswordResetWords.PagePasswordRejected), StatusCodes.Status422UnprocessableEntity),
            ResetSubmissionOutcome.PasswordsDiffer => Form(context, antiforgery, words, settings, locale, state!, PageError(words, locale, PasswordResetWords.PagePasswordsDiffer), StatusCodes.Status422UnprocessableEntity),
            ResetSubmissionOutcome.WrongCode => Form(context, antiforgery, words, settings, locale, state!,
                result.AttemptsLeft == 1
                    ? PageError(words, locale, PasswordResetWords.PageWrongCodeOneLeft)
                    : words.Format(PasswordResetWords.PageWrongCode, locale, new { attemptsLeft = result.AttemptsLeft.ToString(CultureInfo.InvariantCulture) }),
                StatusCodes.Status422UnprocessableEntity),
            ResetSubmissionOutcome.Locked => Message(words, locale, StatusCodes.Status403Forbidden, PasswordResetWords.PageLockedTitle, PasswordResetWords.PageLocked),
            ResetSubmissionOutcome.CodeEnded => Message(words, locale, StatusCodes.Status410Gone, PasswordResetWords.PageCodeEndedTitle, PasswordResetWords.PageCodeEnded),
            ResetSubmissionOutcome.Unavailable => Message(words, locale, StatusCodes.Status503ServiceUnavailable, PasswordResetWords.PageUnavailableTitle, PasswordResetWords.PageUnavailable),
            _ => Message(words, locale, StatusCodes.Status410Gone, PasswordResetWords.PageLinkUnusableTitle, PasswordResetWords.PageLinkUnusable),
        };
    }

    private static string PageError(IWords words, string locale, WordKey key) => words.Format(key, locale);

    private static SignInPage.HtmlPage Form(HttpContext context, IAntiforgery antiforgery, IWords words, PasswordResetOptions settings, string locale, string state, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var rules = settings.Password;
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(words.Format(PasswordResetWords.PageTitle, locale))).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(PasswordResetWords.PageIntro, locale))).Append("</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(Encode(context.Request.PathBase + PasswordResets.PagePath)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(StateField).Append("\" value=\"").Append(Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        Field(html, CodeField, words.Format(PasswordResetWords.PageCodeLabel, locale), "text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"10", autofocus: true);
        Field(html, PasswordField, words.Format(PasswordResetWords.PagePasswordLabel, locale), "password\" autocomplete=\"new-password\" maxlength=\"" + rules.MaxLength.ToString(CultureInfo.InvariantCulture));
        Field(html, ConfirmField, words.Format(PasswordResetWords.PageConfirmLabel, locale), "password\" autocomplete=\"new-password\" maxlength=\"" + rules.MaxLength.ToString(CultureInfo.InvariantCulture));
        html.Append("<p class=\"note\">").Append(Encode(words.Format(PasswordResetWords.PageRulesTitle, locale))).Append("</p>\n<ul class=\"note\">\n");
        foreach (var rule in rules.InForce())
        {
            var sentence = rule switch
            {
                PasswordRule.Length => words.Format(PasswordResetWords.RuleLength, locale, new { min = rules.MinLength.ToString(CultureInfo.InvariantCulture), max = rules.MaxLength.ToString(CultureInfo.InvariantCulture) }),
                PasswordRule.LettersAndDigits => words.Format(PasswordResetWords.RuleLettersAndDigits, locale),
                PasswordRule.MixedCase => words.Format(PasswordResetWords.RuleMixedCase, locale),
                _ => words.Format(PasswordResetWords.RuleSymbol, locale),
            };
            html.Append("<li>").Append(Encode(sentence)).Append("</li>\n");
        }
        html.Append("</ul>\n<button type=\"submit\">").Append(Encode(words.Format(PasswordResetWords.PageSubmit, locale))).Append("</button>\n</form>\n");
        return new SignInPage.HtmlPage(status, Document(words, locale, words.Format(PasswordResetWords.PageTitle, locale), html.ToString(), context.Request.PathBase));
    }

    private static void Field(StringBuilder html, string name, string label, string typeAndAttributes, bool autofocus = false)
    {
        html.Append("<label for=\"").Append(name).Append("\">").Append(Encode(label)).Append("</label>\n");
        html.Append("<input id=\"").Append(name).Append("\" name=\"").Append(name).Append("\" type=\"").Append(typeAndAttributes).Append("\" required")
            .Append(autofocus ? " autofocus" : string.Empty).Append(">\n");
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

    private static string? Single(IFormCollection form, string name) => SecurePageHtml.Single(form, name);
}
