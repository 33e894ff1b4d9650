using AriaBot.PasswordReset;
using AriaBot.SignIn;
using BotRuntime.Logging;
using BotRuntime.State;

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

// The page's side: opening a link, and the post that checks the code.
public sealed partial class EmailChanges
{
    internal async Task<(bool IsUsable, string? Locale)> OpenAsync([SecretData] string? state, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        return (link is { } usable && IsOpen(usable.Value), link?.Value.Locale);
    }

    /// <summary>Counts one post of the page from <paramref name="address"/>; null when it may go on, else how long to wait.</summary>
    internal async Task<TimeSpan?> TakePostFromAsync(System.Net.IPAddress? address, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var wait = await _counters.TakeFromAddressAsync("emailchange", address, settings.PostsPerIp, settings.PostsPerIpWindow, cancellationToken).ConfigureAwait(false);
        if (wait is not null)
        {
            LogIpLimited(logger);
        }
        return wait;
    }

    /// <summary>
    /// The code, checked under the record's eTag so two posts can neither both escape a count nor both verify. A right
    /// code marks the change verified (nothing is written to Aria here) and tells the chat, which writes it.
    /// </summary>
    internal async Task<EmailCodeCheck> VerifyAsync([SecretData] string state, [SecretData] string code, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !IsOpen(link.Value))
        {
            return new EmailCodeCheck(EmailCodeOutcome.LinkUnusable, link?.Value.Locale);
        }
        var record = link.Value;
        if (record.CodeHash is null || record.CodeSalt is null || record.CodeExpiresAt is not { } codeExpires || timeProvider.GetUtcNow() >= codeExpires)
        {
            return new EmailCodeCheck(EmailCodeOutcome.CodeEnded, record.Locale);
        }
        var settings = options.CurrentValue;
        var key = LinkPrefix + LinkState.Hash(state);
        if (!ResetCode.Matches(record.CodeSalt, record.CodeHash, code))
        {
            record.WrongAttempts++;
            if (record.WrongAttempts >= settings.CodeAttempts)
            {
                record.Status = EmailChangeStatus.Locked;
            }
            try
            {
                await storage.WriteAsync(key, record, link.ETag, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                // Another post changed the record meanwhile and was counted; this one is still answered as wrong.
            }
            LogWrongCode(logger, record.LinkId, record.WrongAttempts);
            return record.Status == EmailChangeStatus.Locked
                ? new EmailCodeCheck(EmailCodeOutcome.Locked, record.Locale)
                : new EmailCodeCheck(EmailCodeOutcome.WrongCode, record.Locale, settings.CodeAttempts - record.WrongAttempts);
        }

        record.Status = EmailChangeStatus.Verified;
        // The hash has done its work: a verified change keeps no trace of its code.
        record.CodeHash = null;
        record.CodeSalt = null;
        try
        {
            await storage.WriteAsync(key, record, link.ETag, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return new EmailCodeCheck(EmailCodeOutcome.LinkUnusable, record.Locale);
        }
        LogVerified(logger, record.LinkId);
        await notice.TellVerifiedAsync(record, CancellationToken.None).ConfigureAwait(false);
        return new EmailCodeCheck(EmailCodeOutcome.Verified, record.Locale);
    }

    private bool IsOpen(EmailChangeRecord record) => record.Status == EmailChangeStatus.Waiting && timeProvider.GetUtcNow() < record.ExpiresAt;

    private async Task<Stored<EmailChangeRecord>?> ReadLinkAsync(string? state, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(state))
        {
            return null;
        }
        return await storage.ReadAsync<EmailChangeRecord>(LinkPrefix + LinkState.Hash(state), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: wrong code ({WrongAttempts} so far)")]
    private static partial void LogWrongCode(ILogger logger, string linkId, int wrongAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: code verified; the chat writes the change")]
    private static partial void LogVerified(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account e-mail change page post refused: too many posts from this client address")]
    private static partial void LogIpLimited(ILogger logger);
}
