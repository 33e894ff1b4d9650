using System.Security.Cryptography;
using System.Text;
using AriaBot.Audit;
using AriaBot.SignIn;
using Aria.Client.Models;
using BotRuntime.Logging;
using BotRuntime.State;

namespace AriaBot.PasswordReset;

internal enum ResetSubmissionOutcome
{
    Changed,

    /// <summary>The new password breaks a rule (nothing was counted).</summary>
    PasswordRejected,

    /// <summary>The two new-password fields differ (nothing was counted).</summary>
    PasswordsDiffer,

    /// <summary>Wrong code, or no code was ever sent for this link (unknown user id…): deliberately one outcome.</summary>
    WrongCode,

    /// <summary>Too many wrong codes: this code is locked.</summary>
    Locked,

    /// <summary>The code expired or was used.</summary>
    CodeEnded,

    /// <summary>The link is unknown, expired or already used.</summary>
    LinkUnusable,

    Unavailable,
}

internal sealed record ResetSubmission(ResetSubmissionOutcome Outcome, string? Locale, int AttemptsLeft = 0);

// The page's side: opening a link, the form post that checks the code and changes the password.
public sealed partial class PasswordResets
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
        var wait = await _counters.TakeFromAddressAsync("reset", address, settings.PostsPerIp, settings.PostsPerIpWindow, cancellationToken).ConfigureAwait(false);
        if (wait is not null)
        {
            LogIpLimited(logger);
        }
        return wait;
    }

    /// <summary>
    /// The form post. The password rules are checked first (a wrong code is never hinted at by them); then the code,
    /// under the code record's eTag so two posts cannot both use one code or both escape a count; then Aria.
    /// </summary>
    internal async Task<ResetSubmission> SubmitAsync([SecretData] string state, [SecretData] string code, [SecretData] string password, [SecretData] string confirmation, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !IsOpen(link.Value))
        {
            return new ResetSubmission(ResetSubmissionOutcome.LinkUnusable, link?.Value.Locale);
        }
        var record = link.Value;
        var settings = options.CurrentValue;
        if (settings.Password.Broken(password).Count > 0)
        {
            return new ResetSubmission(ResetSubmissionOutcome.PasswordRejected, record.Locale);
        }
        if (!string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            return new ResetSubmission(ResetSubmissionOutcome.PasswordsDiffer, record.Locale);
        }

        var linkHash = LinkState.Hash(state);
        var stored = await storage.ReadAsync<ResetCodeRecord>(CodePrefix + linkHash, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            // No code was sent for this link (unknown or inactive user id, no address, not sent yet): the same answer
            // as a wrong code, so the page says nothing about the user id. Counted on the link, like a wrong code.
            return await CountLinkMissAsync(state, link, cancellationToken).ConfigureAwait(false);
        }
        var codeRecord = stored.Value;
        if (codeRecord.Locked)
        {
            return new ResetSubmission(ResetSubmissionOutcome.Locked, record.Locale);
        }
        if (codeRecord.Used || timeProvider.GetUtcNow() >= codeRecord.ExpiresAt)
        {
            return new ResetSubmission(ResetSubmissionOutcome.CodeEnded, record.Locale);
        }
        if (!ResetCode.Matches(codeRecord, code))
        {
            codeRecord.WrongAttempts++;
            codeRecord.Locked = codeRecord.WrongAttempts >= settings.CodeAttempts;
            try
            {
                await storage.WriteAsync(CodePrefix + linkHash, codeRecord, stored.ETag, codeRecord.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                // Another post changed the record meanwhile; this one counts as wrong without being stored, and the
                // customer is told to try again (never more tries than the limit: the other post counted).
            }
            LogWrongCode(logger, record.LinkId, codeRecord.WrongAttempts);
            return codeRecord.Locked
                ? new ResetSubmission(ResetSubmissionOutcome.Locked, record.Locale)
                : new ResetSubmission(ResetSubmissionOutcome.WrongCode, record.Locale, settings.CodeAttempts - codeRecord.WrongAttempts);
        }

        // The right code: claimed before Aria is called, so a second post with the same code finds it used.
        codeRecord.Used = true;
        string claimed;
        try
        {
            claimed = await storage.WriteAsync(CodePrefix + linkHash, codeRecord, stored.ETag, codeRecord.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return new ResetSubmission(ResetSubmissionOutcome.CodeEnded, record.Locale);
        }

        var changed = await aria.UpdateAcctCredentialsAsync(new UpdateAcctCredentialsMRequest { AccountNo = codeRecord.AccountNo, Password = password }, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            // Nothing changed: the code goes back to usable (same tries) so the customer can try again.
            codeRecord.Used = false;
            await storage.WriteAsync(CodePrefix + linkHash, codeRecord, claimed, codeRecord.ExpiresAt + Afterlife, CancellationToken.None).ConfigureAwait(false);
            await AuditAsync(record, codeRecord.AccountNo, AuditOutcome.Failed, changed.Error?.Code).ConfigureAwait(false);
            LogChangeFailed(logger, record.LinkId, changed.Error?.Code ?? 0);
            return new ResetSubmission(changed.Error?.Kind == Aria.Client.AriaErrorKind.Aria && changed.Error.Code == 1016 ? ResetSubmissionOutcome.PasswordRejected : ResetSubmissionOutcome.Unavailable, record.Locale);
        }

        record.Status = ResetStatus.Completed;
        await storage.WriteAsync(LinkPrefix + linkHash, record, link.ETag, record.ExpiresAt + Afterlife, CancellationToken.None).ConfigureAwait(false);
        await AuditAsync(record, codeRecord.AccountNo, AuditOutcome.Committed, null).ConfigureAwait(false);
        LogChanged(logger, record.LinkId);
        // Whoever held a session of this account (an attacker's chat too) is signed out; the customer signs in anew.
        await sessionsEnder.EndAllAsync(codeRecord.AccountNo, CancellationToken.None).ConfigureAwait(false);
        // The account's address is told (from the outbox: the page does not wait on Aria or SMTP for it).
        await outbox.EnqueueAsync(ResetEmailJobs.ChangedNoticeKind, new ChangedNoticeJob(codeRecord.AccountNo, record.Locale), CancellationToken.None).ConfigureAwait(false);
        return new ResetSubmission(ResetSubmissionOutcome.Changed, record.Locale);
    }

    /// <summary>A post for a link no code was sent for counts like a wrong code (kept on a record of its own).</summary>
    private async Task<ResetSubmission> CountLinkMissAsync(string state, Stored<ResetLinkRecord> link, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var key = "reset/limits/link/" + LinkState.Hash(state);
        var allowed = await _counters.TryTakeAsync(key, settings.CodeAttempts, settings.LinkLifetime + Afterlife, cancellationToken).ConfigureAwait(false);
        var used = allowed ? await CountOfAsync(key, cancellationToken).ConfigureAwait(false) : settings.CodeAttempts;
        LogWrongCode(logger, link.Value.LinkId, used);
        return used >= settings.CodeAttempts
            ? new ResetSubmission(ResetSubmissionOutcome.Locked, link.Value.Locale)
            : new ResetSubmission(ResetSubmissionOutcome.WrongCode, link.Value.Locale, settings.CodeAttempts - used);
    }

    private async Task<int> CountOfAsync(string key, CancellationToken cancellationToken) =>
        (await storage.ReadAsync<SignIn.SignInCounters.Counter>(key, cancellationToken).ConfigureAwait(false))?.Value.Count ?? 0;

    private Task AuditAsync(ResetLinkRecord record, long accountNo, AuditOutcome outcome, long? errorCode) =>
        audit.AppendAsync(new AuditEntry
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            At = timeProvider.GetUtcNow(),
            AccountNo = accountNo,
            Call = "update_acct_credentials_m",
            Outcome = outcome,
            ChannelId = record.ChannelId,
            ConversationId = record.ConversationId,
            AriaErrorCode = errorCode,
            Detail = "password reset by e-mailed code",
        }, CancellationToken.None);

    private bool IsOpen(ResetLinkRecord record) => record.Status == ResetStatus.Waiting && timeProvider.GetUtcNow() < record.ExpiresAt;

    private async Task<Stored<ResetLinkRecord>?> ReadLinkAsync(string? state, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(state))
        {
            return null;
        }
        return await storage.ReadAsync<ResetLinkRecord>(LinkPrefix + LinkState.Hash(state), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: wrong code ({WrongAttempts} so far)")]
    private static partial void LogWrongCode(ILogger logger, string linkId, int wrongAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: password changed")]
    private static partial void LogChanged(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset {LinkId}: update_acct_credentials_m failed (error {Code}); nothing changed")]
    private static partial void LogChangeFailed(ILogger logger, string linkId, long code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset page post refused: too many posts from this client address")]
    private static partial void LogIpLimited(ILogger logger);
}

/// <summary>The 8-digit code: made at random, stored only as a salted SHA-256, compared in constant time.</summary>
internal static class ResetCode
{
    public static string New() => RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static (string Salt, string Hash) Protect([SecretData] string code)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return (salt, Hash(salt, code));
    }

    /// <summary>Spaces and dashes typed between the digits are ignored.</summary>
    public static bool Matches(ResetCodeRecord record, [SecretData] string code) => Matches(record.Salt, record.Hash, code);

    /// <summary>The same check for a code kept elsewhere (the account e-mail change keeps its hash on its own record).</summary>
    public static bool Matches([SecretData] string salt, [SecretData] string hash, [SecretData] string code)
    {
        var digits = new string([.. code.Where(char.IsAsciiDigit)]);
        if (digits.Length != 8 || code.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-')))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(salt, digits)), Encoding.ASCII.GetBytes(hash));
    }

    private static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));
}
