using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.SignIn;
using AriaBot.SignIn.VerificationCodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

/// <summary>
/// The reset page, the shared verification-code page (<see cref="VerificationPage"/>: headers, style, antiforgery, the
/// shared checks and answers) with the reset's own fields: <c>GET /password-reset?state=…</c> shows the form (code, new
/// password twice, the password rules); <c>POST</c> checks the code and changes the password. Only the POST consumes
/// anything. No script; no body or query is logged.
/// </summary>
internal static class ResetPage
{
    internal const string PasswordField = "newPassword";
    internal const string ConfirmField = "confirmPassword";

    private const int MaxFieldLength = 200;

    private static readonly VerificationPage Page = new(PasswordResets.PagePath,
        new VerificationPageWords(PasswordResetWords.PageTitle, PasswordResetWords.PageIntro, PasswordResetWords.PageCodeLabel, PasswordResetWords.PageSubmit,
            PasswordResetWords.PageWrongCode, PasswordResetWords.PageWrongCodeOneLeft,
            PasswordResetWords.PageLockedTitle, PasswordResetWords.PageLocked, PasswordResetWords.PageCodeEndedTitle, PasswordResetWords.PageCodeEnded,
            PasswordResetWords.PageLinkUnusableTitle, PasswordResetWords.PageLinkUnusable, PasswordResetWords.PageRateLimitedTitle, PasswordResetWords.PageRateLimited,
            PasswordResetWords.PageBadRequestTitle, PasswordResetWords.PageBadRequest),
        new VerificationFormLimits(MaxBodyBytes: 16 * 1024, MaxValues: 16, MaxValueLength: 4096));

    public static IEndpointRouteBuilder MapResetPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PasswordResets.PagePath, GetAsync);
        endpoints.MapPost(PasswordResets.PagePath, PostAsync);
        return endpoints;
    }

    private static Task<IResult> GetAsync(HttpContext context, PasswordResets resets, IAntiforgery antiforgery, IWords words, IOptionsMonitor<PasswordResetOptions> options) =>
        Page.ShowAsync(context, resets.PageSide, antiforgery, words, locale => PasswordFields(words, options.CurrentValue, locale));

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
        var (post, refusal) = await Page.ReadPostAsync(context, resets.PageSide, antiforgery, words).ConfigureAwait(false);
        if (post is null)
        {
            return refusal!;
        }
        var locale = post.Locale;
        var fields = PasswordFields(words, settings, locale);
        var code = VerificationPage.CodeOf(post, MaxFieldLength);
        var password = SecurePageHtml.Single(post.Form, PasswordField);
        var confirmation = SecurePageHtml.Single(post.Form, ConfirmField);
        if (code is null || string.IsNullOrEmpty(password) || string.IsNullOrEmpty(confirmation) || password.Length > MaxFieldLength || confirmation.Length > MaxFieldLength)
        {
            return Form(context, antiforgery, words, post, PasswordResetWords.PageMissingFields, StatusCodes.Status400BadRequest, fields);
        }

        var result = await resets.SubmitAsync(post.State, code, password, confirmation, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            ResetSubmissionOutcome.Changed => VerificationPage.Message(words, locale, StatusCodes.Status200OK, PasswordResetWords.PageChangedTitle, PasswordResetWords.PageChanged),
            ResetSubmissionOutcome.PasswordRejected => Form(context, antiforgery, words, post, PasswordResetWords.PagePasswordRejected, StatusCodes.Status422UnprocessableEntity, fields),
            ResetSubmissionOutcome.PasswordsDiffer => Form(context, antiforgery, words, post, PasswordResetWords.PagePasswordsDiffer, StatusCodes.Status422UnprocessableEntity, fields),
            ResetSubmissionOutcome.WrongCode => Page.WrongCode(context, antiforgery, words, post, result.AttemptsLeft, fields),
            ResetSubmissionOutcome.Locked => Page.Locked(words, locale),
            ResetSubmissionOutcome.CodeEnded => Page.CodeEnded(words, locale),
            ResetSubmissionOutcome.Unavailable => VerificationPage.Message(words, locale, StatusCodes.Status503ServiceUnavailable, PasswordResetWords.PageUnavailableTitle, PasswordResetWords.PageUnavailable),
            _ => Page.LinkUnusable(words, locale),
        };
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, IWords words, VerificationPost post, WordKey error, int status, string fields) =>
        Page.Form(context, antiforgery, words, post.Locale, post.State, words.Format(error, post.Locale), status, fields);

    /// <summary>The reset's own fields after the code: the new password twice and the rules it must meet.</summary>
    private static string PasswordFields(IWords words, PasswordResetOptions settings, string locale)
    {
        var rules = settings.Password;
        var html = new StringBuilder();
        var maxLength = rules.MaxLength.ToString(CultureInfo.InvariantCulture);
        VerificationPage.Field(html, PasswordField, words.Format(PasswordResetWords.PagePasswordLabel, locale), "password\" autocomplete=\"new-password\" maxlength=\"" + maxLength);
        VerificationPage.Field(html, ConfirmField, words.Format(PasswordResetWords.PageConfirmLabel, locale), "password\" autocomplete=\"new-password\" maxlength=\"" + maxLength);
        html.Append("<p class=\"note\">").Append(VerificationPage.Encode(words.Format(PasswordResetWords.PageRulesTitle, locale))).Append("</p>\n<ul class=\"note\">\n");
        foreach (var rule in rules.InForce())
        {
            var sentence = rule switch
            {
                PasswordRule.Length => words.Format(PasswordResetWords.RuleLength, locale, new { min = rules.MinLength.ToString(CultureInfo.InvariantCulture), max = maxLength }),
                PasswordRule.LettersAndDigits => words.Format(PasswordResetWords.RuleLettersAndDigits, locale),
                PasswordRule.MixedCase => words.Format(PasswordResetWords.RuleMixedCase, locale),
                _ => words.Format(PasswordResetWords.RuleSymbol, locale),
            };
            html.Append("<li>").Append(VerificationPage.Encode(sentence)).Append("</li>\n");
        }
        html.Append("</ul>\n");
        return html.ToString();
    }
}
