using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Email;
using AriaBot.Language;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

/// <summary>The notice job's payload.</summary>
public sealed record ChangedNoticeJob(long AccountNo, string? Locale);

/// <summary>The kinds of outbox job the reset queues.</summary>
public static class ResetEmailJobs
{
    public const string CodeKind = ResetCodeSender.JobKind;
    public const string ChangedNoticeKind = "password-changed-notice";

    /// <summary>A message built from encoded sentences: no remote image, no link, no tracking.</summary>
    internal static EmailMessage Compose(string to, string subject, IReadOnlyList<string> paragraphs, string purpose, string? emphasis = null)
    {
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(HtmlEncoder.Default.Encode(paragraph)).Append("</p>");
            if (emphasis is not null && ReferenceEquals(paragraph, paragraphs[0]))
            {
                text.Append("    ").Append(emphasis).Append("\n\n");
                html.Append("<p style=\"font-size:24px;letter-spacing:4px;font-weight:bold\">").Append(HtmlEncoder.Default.Encode(emphasis)).Append("</p>");
            }
        }
        html.Append("</body></html>");
        return new EmailMessage(to, subject, text.ToString().TrimEnd() + "\n", html.ToString(), purpose);
    }

    /// <summary>The account's address when it may receive mail about the account: active (status above 0) and an address on file.</summary>
    internal static async Task<(OutboxJobOutcome? Stop, string? Address)> AddressOfAsync(IAriaClient aria, long accountNo, CancellationToken cancellationToken)
    {
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return (details.Error!.Kind == AriaErrorKind.Aria ? OutboxJobOutcome.Done : OutboxJobOutcome.Retry, null);
        }
        var address = details.Value!.Email?.Trim();
        return details.Value.StatusCd is > 0 && !string.IsNullOrEmpty(address) && System.Net.Mail.MailAddress.TryCreate(address, out _)
            ? (null, address)
            : (OutboxJobOutcome.Done, null);
    }
}

/// <summary>
/// The reset's lookup and e-mail, run by the outbox (never in the chat's turn): <c>get_acct_no_from_user_id_m</c>, then
/// <c>get_acct_details_all_m</c>; only an existing, active account with an address gets a code. The code is made here,
/// stored hashed, and exists in clear only in the e-mail. A retry (SMTP down) makes a new code and replaces the stored
/// one, so a code that was never delivered never works.
/// </summary>
public sealed partial class ResetCodeSender(IStorage storage, IAriaClient aria, IEmailSender sender, IWords words, IOptionsMonitor<PasswordResetOptions> options,
    TimeProvider timeProvider, ILogger<ResetCodeSender> logger) : IOutboxJobHandler
{
    public const string JobKind = "password-reset-code";

    public string Kind => JobKind;

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = job.PayloadAs<ResetCodeJob>();
        var link = await storage.ReadAsync<ResetLinkRecord>(PasswordResets.LinkPrefix + request.LinkHash, cancellationToken).ConfigureAwait(false);
        if (link is null || link.Value.Status != ResetStatus.Waiting || timeProvider.GetUtcNow() >= link.Value.ExpiresAt)
        {
            return OutboxJobOutcome.Done;
        }
        var account = await aria.GetAcctNoFromUserIdAsync(new GetAcctNoFromUserIdMRequest { UserId = request.UserId }, cancellationToken).ConfigureAwait(false);
        if (!account.IsSuccess || account.Value!.AcctNo is not { } accountNo)
        {
            if (account.Error is { Kind: not AriaErrorKind.Aria })
            {
                return OutboxJobOutcome.Retry;
            }
            LogNoAccount(logger, request.LinkId);
            return OutboxJobOutcome.Done;
        }
        var (stop, address) = await ResetEmailJobs.AddressOfAsync(aria, accountNo, cancellationToken).ConfigureAwait(false);
        if (stop is { } outcome)
        {
            if (outcome == OutboxJobOutcome.Done)
            {
                LogNoAddress(logger, request.LinkId);
            }
            return outcome;
        }

        var settings = options.CurrentValue;
        var code = VerificationCode.New();
        var (salt, hash) = VerificationCode.Protect(code);
        var expires = timeProvider.GetUtcNow() + settings.CodeLifetime;
        await storage.WriteAsync(PasswordResets.CodePrefix + request.LinkHash, new ResetCodeRecord { AccountNo = accountNo, Salt = salt, Hash = hash, ExpiresAt = expires },
            StoreWrite.AnyETag, expires + TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);

        var message = CodeMessage(address!, code, request.Locale, settings.CodeLifetime);
        await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        // For a while after an e-mail change, the previous address hears of it too (and can act before a takeover).
        var change = await storage.ReadAsync<EmailChangeRecord>(PasswordResets.EmailChangePrefix + accountNo.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (change is not null && timeProvider.GetUtcNow() - change.Value.ChangedAt < settings.PreviousAddressWindow
            && !string.Equals(change.Value.PreviousAddress, address, StringComparison.OrdinalIgnoreCase))
        {
            await sender.SendAsync(message with { To = change.Value.PreviousAddress }, cancellationToken).ConfigureAwait(false);
        }
        LogSent(logger, request.LinkId);
        return OutboxJobOutcome.Done;
    }

    private EmailMessage CodeMessage(string to, string code, string? locale, TimeSpan lifetime)
    {
        var minutes = ((int)Math.Round(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        return ResetEmailJobs.Compose(to, words.Format(PasswordResetWords.EmailCodeSubject, locale),
            [words.Format(PasswordResetWords.EmailCodeIntro, locale), words.Format(PasswordResetWords.EmailCodeLifetime, locale, new { minutes }), words.Format(PasswordResetWords.EmailCodeIgnore, locale)],
            "password-reset-code", emphasis: code);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: no account for the typed user id; no e-mail")]
    private static partial void LogNoAccount(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: the account is not active or has no address; no e-mail")]
    private static partial void LogNoAddress(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: code e-mailed")]
    private static partial void LogSent(ILogger logger, string linkId);
}

/// <summary>Tells the account's address that its password was changed (from the outbox, after the page's change).</summary>
public sealed class PasswordChangedNotice(IAriaClient aria, IEmailSender sender, IWords words) : IOutboxJobHandler
{
    public string Kind => ResetEmailJobs.ChangedNoticeKind;

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var notice = job.PayloadAs<ChangedNoticeJob>();
        var (stop, address) = await ResetEmailJobs.AddressOfAsync(aria, notice.AccountNo, cancellationToken).ConfigureAwait(false);
        if (stop is { } outcome)
        {
            return outcome;
        }
        await sender.SendAsync(ResetEmailJobs.Compose(address!, words.Format(PasswordResetWords.EmailChangedSubject, notice.Locale),
            [words.Format(PasswordResetWords.EmailChangedBody, notice.Locale), words.Format(PasswordResetWords.EmailChangedNotYou, notice.Locale)],
            "password-changed-notice"), cancellationToken).ConfigureAwait(false);
        return OutboxJobOutcome.Done;
    }
}
