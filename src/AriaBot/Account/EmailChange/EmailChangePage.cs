using AriaBot.Language;
using AriaBot.SignIn.VerificationCodes;
using Microsoft.AspNetCore.Antiforgery;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// The page the code sent to the new address is entered on: the shared verification-code page
/// (<see cref="VerificationPage"/>: the sign-in page's headers, style, antiforgery and frame, the shared checks and
/// answers) with nothing but the code. <c>GET /email-change?state=…</c> shows the form and changes nothing; only the
/// <c>POST</c> checks the code. No script; no body or query is logged; nothing typed is written back into a page.
/// </summary>
internal static class EmailChangePage
{
    private const int MaxCodeLength = 20;

    private static readonly VerificationPage Page = new(EmailChanges.PagePath,
        new VerificationPageWords(EmailChangeWords.PageTitle, EmailChangeWords.PageIntro, EmailChangeWords.PageCodeLabel, EmailChangeWords.PageSubmit,
            EmailChangeWords.PageWrongCode, WrongCodeOneLeft: null,
            EmailChangeWords.PageLockedTitle, EmailChangeWords.PageLocked, EmailChangeWords.PageCodeEndedTitle, EmailChangeWords.PageCodeEnded,
            EmailChangeWords.PageLinkUnusableTitle, EmailChangeWords.PageLinkUnusable, EmailChangeWords.PageRateLimitedTitle, EmailChangeWords.PageRateLimited,
            EmailChangeWords.PageBadRequestTitle, EmailChangeWords.PageBadRequest),
        new VerificationFormLimits(MaxBodyBytes: 8 * 1024, MaxValues: 8, MaxValueLength: 2048));

    public static IEndpointRouteBuilder MapEmailChangePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(EmailChanges.PagePath, GetAsync);
        endpoints.MapPost(EmailChanges.PagePath, PostAsync);
        return endpoints;
    }

    private static Task<IResult> GetAsync(HttpContext context, EmailChanges changes, IAntiforgery antiforgery, IWords words) =>
        Page.ShowAsync(context, changes.PageSide, antiforgery, words);

    private static async Task<IResult> PostAsync(HttpContext context, EmailChanges changes, IAntiforgery antiforgery, IWords words)
    {
        var (post, refusal) = await Page.ReadPostAsync(context, changes.PageSide, antiforgery, words).ConfigureAwait(false);
        if (post is null)
        {
            return refusal!;
        }
        if (VerificationPage.CodeOf(post, MaxCodeLength) is not { } code)
        {
            return Page.Form(context, antiforgery, words, post.Locale, post.State, words.Format(EmailChangeWords.PageMissingCode, post.Locale), StatusCodes.Status400BadRequest);
        }
        var result = await changes.VerifyAsync(post.State, code, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            EmailCodeOutcome.Verified => VerificationPage.Message(words, post.Locale, StatusCodes.Status200OK, EmailChangeWords.PageVerifiedTitle, EmailChangeWords.PageVerified),
            EmailCodeOutcome.WrongCode => Page.WrongCode(context, antiforgery, words, post, result.AttemptsLeft),
            EmailCodeOutcome.Locked => Page.Locked(words, post.Locale),
            EmailCodeOutcome.CodeEnded => Page.CodeEnded(words, post.Locale),
            _ => Page.LinkUnusable(words, post.Locale),
        };
    }
}
