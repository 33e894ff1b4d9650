using System.Security.Cryptography;
using System.Text;
using AriaBot.Email;
using AriaBot.Notifications.Receiver;
using AriaBot.Notifications.Subscriptions;
using AriaBot.SelfService;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Delivery;

/// <summary>One notice for one subscription, queued by <see cref="EventJobHandler"/> and sent by <see cref="DeliveryJobHandler"/>.</summary>
public sealed record DeliveryJob(long AccountNo, string NoticeId, NoticeKind Kind, string SubscriptionId);

/// <summary>
/// Runs an accepted Aria event (outbox kind <see cref="AriaEventsReceiver.JobKind"/>): decides which notices it gives
/// (<see cref="NoticeKinds"/>), then holds a web-chat notice for the account's next signed-in visit and queues one
/// delivery per Teams or Slack subscription. Safe to repeat: held notices are created once per notice id, and a
/// delivery already sent is not sent again.
/// </summary>
internal sealed partial class EventJobHandler(
    NotificationSubscriptions subscriptions,
    HeldNotices held,
    IServiceProvider services,
    IStorage storage,
    IOptionsMonitor<NotificationsOptions> options,
    IOptionsMonitor<SelfServiceOptions> selfService,
    TimeProvider timeProvider,
    ILogger<EventJobHandler> logger) : IOutboxJobHandler
{
    internal const string QueuedPrefix = "notifications/queued/";

    /// <summary>A queued plan change waits at most until the next anniversary (a year, with margin).</summary>
    private static readonly TimeSpan QueuedLifetime = TimeSpan.FromDays(400);

    // Resolved when a job runs: the outbox itself is built from every handler, this one included.
    private Outbox Outbox => services.GetRequiredService<Outbox>();

    public string Kind => AriaEventsReceiver.JobKind;

    private sealed class QueuedChange
    {
        public DateTimeOffset At { get; set; }
    }

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ariaEvent = job.PayloadAs<AriaEvent>();
        if (!selfService.CurrentValue.Sections.Notifications)
        {
            return OutboxJobOutcome.Done;
        }
        var now = timeProvider.GetUtcNow();
        var queuedKey = QueuedPrefix + ariaEvent.AccountNo;
        if (ariaEvent.Class == "A" && ariaEvent.EventIds.Any(NoticeKinds.QueuedForAssignment.Contains))
        {
            await storage.WriteAsync(queuedKey, new QueuedChange { At = now }, StoreWrite.AnyETag, now + QueuedLifetime, cancellationToken).ConfigureAwait(false);
        }
        var waiting = ariaEvent.Class == "A" && ariaEvent.EventIds.Any(NoticeKinds.Assigned.Contains)
            && await storage.ReadAsync<QueuedChange>(queuedKey, cancellationToken).ConfigureAwait(false) is not null;
        var kinds = NoticeKinds.For(ariaEvent, waiting);
        if (kinds.Count > 0)
        {
            var account = await subscriptions.AccountAsync(ariaEvent.AccountNo, cancellationToken).ConfigureAwait(false);
            var subscribed = account.Items;
            foreach (var kind in kinds)
            {
                var noticeId = NoticeId(ariaEvent.TransactionId, kind);
                if (account.Email)
                {
                    await Outbox.EnqueueAsync(EmailNoticeJobHandler.JobKind, new EmailNoticeJob(ariaEvent.AccountNo, noticeId, kind), cancellationToken).ConfigureAwait(false);
                }
                foreach (var subscription in subscribed)
                {
                    if (NoticeKinds.IsHeldChannel(subscription.ChannelId))
                    {
                        await held.HoldAsync(ariaEvent.AccountNo, noticeId, kind, options.CurrentValue.HeldFor, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await Outbox.EnqueueAsync(DeliveryJobHandler.JobKind, new DeliveryJob(ariaEvent.AccountNo, noticeId, kind, subscription.Id), cancellationToken).ConfigureAwait(false);
                    }
                }
                LogNotice(logger, ariaEvent.TransactionId, kind, subscribed.Count);
            }
        }
        if (waiting)
        {
            // The queued change took effect: a later assignment is a change seen in the chat, not news.
            await storage.DeleteAsync(queuedKey, cancellationToken).ConfigureAwait(false);
        }
        return OutboxJobOutcome.Done;
    }

    internal static string NoticeId(string transactionId, NoticeKind kind) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{transactionId}\n{kind}")))[..32];

    [LoggerMessage(Level = LogLevel.Information, Message = "Aria event {TransactionId}: a {Kind} notice for {Subscriptions} subscription(s)")]
    private static partial void LogNotice(ILogger logger, string transactionId, NoticeKind kind, int subscriptions);
}
