using System.Text.Encodings.Web;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Email;
using AriaBot.Language;
using AriaBot.Notifications.Subscriptions;
using BotRuntime.State;

namespace AriaBot.Notifications.Delivery;

/// <summary>One notice by e-mail, queued by <see cref="EventJobHandler"/> for an account that asked for e-mail copies.</summary>
public sealed record EmailNoticeJob(long AccountNo, string NoticeId, NoticeKind Kind);

/// <summary>
/// Sends a notice by e-mail (outbox kind <see cref="JobKind"/>) to the address on file in Aria (<c>get_acct_details_all_m</c>,
/// an active account only), with the same sentence as the chat and nothing of the account. Not sent when the customer has
/// opted out since; marked sent so a repeated job never mails twice. Quiet hours do not apply: mail waits in the inbox.
/// </summary>
internal sealed partial class EmailNoticeJobHandler(
    NotificationSubscriptions subscriptions,
    IAriaClient aria,
    IEmailSender sender,
    IWords words,
    IStorage storage,
    TimeProvider timeProvider,
    ILogger<EmailNoticeJobHandler> logger) : IOutboxJobHandler
{
    public const string JobKind = "notifications.email";
    public const string Purpose = "account-notification";

    public string Kind => JobKind;

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var notice = job.PayloadAs<EmailNoticeJob>();
        var account = await subscriptions.AccountAsync(notice.AccountNo, cancellationToken).ConfigureAwait(false);
        var sentKey = $"{DeliveryJobHandler.SentPrefix}{notice.NoticeId}/email";
        if (!account.Email || (await storage.ReadAsync([sentKey], cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return OutboxJobOutcome.Done;
        }
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = notice.AccountNo }, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return details.Error!.Kind == AriaErrorKind.Aria ? OutboxJobOutcome.Done : OutboxJobOutcome.Retry;
        }
        var address = details.Value!.Email?.Trim();
        if (details.Value.StatusCd is not > 0 || string.IsNullOrEmpty(address) || !System.Net.Mail.MailAddress.TryCreate(address, out _))
        {
            LogNoAddress(logger, notice.AccountNo);
            return OutboxJobOutcome.Done;
        }
        var locale = account.EmailLocale;
        var sentence = words.Format(NotificationWords.Sentence(notice.Kind), locale);
        var footer = words.Format(NotificationWords.EmailFooter, locale);
        var html = $"<!DOCTYPE html><html><body><p>{HtmlEncoder.Default.Encode(sentence)}</p><p>{HtmlEncoder.Default.Encode(footer)}</p></body></html>";
        await sender.SendAsync(new EmailMessage(address, words.Format(NotificationWords.EmailSubject, locale), $"{sentence}\n\n{footer}\n", html, Purpose), cancellationToken).ConfigureAwait(false);
        await storage.TryCreateAsync(sentKey, new EmailNoticeJob(notice.AccountNo, notice.NoticeId, notice.Kind), timeProvider.GetUtcNow() + TimeSpan.FromDays(7), cancellationToken).ConfigureAwait(false);
        return OutboxJobOutcome.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountNo} has no active account or usable address for a notice by e-mail")]
    private static partial void LogNoAddress(ILogger logger, long accountNo);
}
