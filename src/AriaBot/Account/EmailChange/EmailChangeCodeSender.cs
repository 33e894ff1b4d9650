using System.Globalization;
using AriaBot.Email;
using AriaBot.Language;
using AriaBot.PasswordReset;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Sends the code to the NEW address, from the outbox (the chat's reply never waits on SMTP). The code is made here,
/// its salted hash written on the change's record, and it exists in clear only in the e-mail. A retry (SMTP down) makes
/// a new code and replaces the stored hash, so a code that was never delivered never works.
/// </summary>
public sealed partial class EmailChangeCodeSender(IStorage storage, IEmailSender sender, IWords words, IOptionsMonitor<EmailChangeOptions> options,
    TimeProvider timeProvider, ILogger<EmailChangeCodeSender> logger) : IOutboxJobHandler
{
    public const string JobKind = "account-email-change-code";

    public string Kind => JobKind;

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = job.PayloadAs<EmailChangeCodeJob>();
        var key = EmailChanges.LinkPrefix + request.LinkHash;
        var link = await storage.ReadAsync<EmailChangeRecord>(key, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        if (link is null || link.Value.Status != EmailChangeStatus.Waiting || now >= link.Value.ExpiresAt)
        {
            return OutboxJobOutcome.Done;
        }
        var settings = options.CurrentValue;
        var record = link.Value;
        var code = VerificationCode.New();
        (record.CodeSalt, record.CodeHash) = VerificationCode.Protect(code);
        record.CodeExpiresAt = now + settings.CodeLifetime;
        try
        {
            await storage.WriteAsync(key, record, link.ETag, record.ExpiresAt + TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // The page or the chat changed the record meanwhile: read it again on the retry.
            return OutboxJobOutcome.Retry;
        }
        var minutes = ((int)Math.Round(settings.CodeLifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        await sender.SendAsync(ResetEmailJobs.Compose(record.NewAddress, words.Format(EmailChangeWords.EmailCodeSubject, record.Locale),
            [words.Format(EmailChangeWords.EmailCodeIntro, record.Locale), words.Format(EmailChangeWords.EmailCodeLifetime, record.Locale, new { minutes }),
                words.Format(EmailChangeWords.EmailCodeIgnore, record.Locale)],
            "account-email-change-code", emphasis: code), cancellationToken).ConfigureAwait(false);
        LogSent(logger, request.LinkId);
        return OutboxJobOutcome.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: code e-mailed to the new address")]
    private static partial void LogSent(ILogger logger, string linkId);
}
