using AriaBot.SignIn;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.Logging;

namespace AriaBot.Account.EmailChange;

internal enum EmailCodeOutcome
{
    Verified,

    /// <summary>Wrong code; <see cref="EmailCodeCheck.AttemptsLeft"/> more may be tried.</summary>
    WrongCode,

    /// <summary>Too many wrong codes: this change is locked.</summary>
    Locked,

    /// <summary>The code expired, or none was sent yet (the customer asks again or waits a moment).</summary>
    CodeEnded,

    /// <summary>The link is unknown, expired, spent or replaced.</summary>
    LinkUnusable,
}

internal sealed record EmailCodeCheck(EmailCodeOutcome Outcome, string? Locale, int AttemptsLeft = 0);

// The page's side: the post that checks the code (the link, the page's limit and the check itself are the shared
// verification-code flow's).
public sealed partial class EmailChanges
{
    /// <summary>
    /// The code, checked under the record's eTag so two posts can neither both escape a count nor both verify. A right
    /// code marks the change verified (nothing is written to Aria here) and tells the chat, which writes it.
    /// </summary>
    internal async Task<EmailCodeCheck> VerifyAsync([SecretData] string state, [SecretData] string code, CancellationToken cancellationToken)
    {
        var link = await _links.ReadAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !_links.IsOpen(link.Value))
        {
            return new EmailCodeCheck(EmailCodeOutcome.LinkUnusable, link?.Value.Locale);
        }
        var record = link.Value;
        // The code lives on the link record: a wrong one locks the change itself, a right one marks it verified.
        var check = await _links.CheckAsync(LinkPrefix + LinkState.Hash(state), link, code, record.ExpiresAt + VerificationLinks<EmailChangeRecord>.Afterlife, cancellationToken)
            .ConfigureAwait(false);
        if (check.Counted)
        {
            LogWrongCode(logger, record.LinkId, check.WrongAttempts);
        }
        switch (check.Outcome)
        {
            case CodeCheckOutcome.Wrong:
                return new EmailCodeCheck(EmailCodeOutcome.WrongCode, record.Locale, check.AttemptsLeft);
            case CodeCheckOutcome.Locked:
                return new EmailCodeCheck(EmailCodeOutcome.Locked, record.Locale);
            case CodeCheckOutcome.Ended:
                return new EmailCodeCheck(EmailCodeOutcome.CodeEnded, record.Locale);
            case CodeCheckOutcome.Lost:
                return new EmailCodeCheck(EmailCodeOutcome.LinkUnusable, record.Locale);
        }
        LogVerified(logger, record.LinkId);
        await notice.TellVerifiedAsync(record, CancellationToken.None).ConfigureAwait(false);
        return new EmailCodeCheck(EmailCodeOutcome.Verified, record.Locale);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: wrong code ({WrongAttempts} so far)")]
    private static partial void LogWrongCode(ILogger logger, string linkId, int wrongAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: code verified; the chat writes the change")]
    private static partial void LogVerified(ILogger logger, string linkId);
}
