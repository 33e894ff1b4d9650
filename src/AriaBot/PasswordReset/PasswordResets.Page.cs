using System.Security.Cryptography;
using System.Text;
using AriaBot.Audit;
using AriaBot.SignIn;
using AriaBot.SignIn.VerificationCodes;
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
    /// <summary>
    /// The form post. The password rules are checked first (a wrong code is never hinted at by them); then the code,
    /// under the code record's eTag so two posts cannot both use one code or both escape a count; then Aria.
    /// </summary>
    internal async Task<ResetSubmission> SubmitAsync([SecretData] string state, [SecretData] string code, [SecretData] string password, [SecretData] string confirmation, CancellationToken cancellationToken)
    {
        var link = await _links.ReadAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !_links.IsOpen(link.Value))
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
        var check = await _links.CheckAsync(CodePrefix + linkHash, stored, code, codeRecord.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        if (check.Counted)
        {
            LogWrongCode(logger, record.LinkId, check.WrongAttempts);
        }
        switch (check.Outcome)
        {
            case CodeCheckOutcome.Locked:
                return new ResetSubmission(ResetSubmissionOutcome.Locked, record.Locale);
            case CodeCheckOutcome.Wrong:
                return new ResetSubmission(ResetSubmissionOutcome.WrongCode, record.Locale, check.AttemptsLeft);
            case CodeCheckOutcome.Ended or CodeCheckOutcome.Lost:
                return new ResetSubmission(ResetSubmissionOutcome.CodeEnded, record.Locale);
        }

        // The right code is claimed (used) before Aria is called, so a second post with the same code finds it used.
        var claimed = check.ETag!;
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
        await _links.SaveAsync(linkHash, record, link.ETag, CancellationToken.None).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: wrong code ({WrongAttempts} so far)")]
    private static partial void LogWrongCode(ILogger logger, string linkId, int wrongAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: password changed")]
    private static partial void LogChanged(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset {LinkId}: update_acct_credentials_m failed (error {Code}); nothing changed")]
    private static partial void LogChangeFailed(ILogger logger, string linkId, long code);
}
