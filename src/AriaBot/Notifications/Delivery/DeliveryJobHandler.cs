using AriaBot.Email;
using AriaBot.Notifications.Subscriptions;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Delivery;

/// <summary>
/// Sends one notice to one Teams or Slack subscription (outbox kind <see cref="JobKind"/>). Quiet hours in the
/// customer's zone and the per-account daily limit delay it (a new job due when they end), never drop it; a channel
/// that refuses the conversation for good drops the subscription; a failure is retried with the outbox's back-off.
/// A notice is marked sent per subscription, so a repeated job never sends it twice.
/// </summary>
internal sealed partial class DeliveryJobHandler(
    NotificationSubscriptions subscriptions,
    NoticeSender sender,
    IServiceProvider services,
    IStorage storage,
    IOptionsMonitor<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryJobHandler> logger) : IOutboxJobHandler
{
    public const string JobKind = "notifications.deliver";
    internal const string SentPrefix = "notifications/sent/";
    internal const string DailyPrefix = "notifications/daily/";

    // Resolved when a job runs: the outbox itself is built from every handler, this one included.
    private Outbox Outbox => services.GetRequiredService<Outbox>();

    public string Kind => JobKind;

    private sealed class DailyCount
    {
        public int Count { get; set; }
    }

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var delivery = job.PayloadAs<DeliveryJob>();
        var subscription = (await subscriptions.ForAccountAsync(delivery.AccountNo, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(s => s.Id == delivery.SubscriptionId);
        if (subscription is null || subscription.Reference.Conversation?.IsGroup == true)
        {
            // Opted out since (or, defensively, a group conversation, which never subscribes).
            return OutboxJobOutcome.Done;
        }
        var sentKey = $"{SentPrefix}{delivery.NoticeId}/{delivery.SubscriptionId}";
        if ((await storage.ReadAsync([sentKey], cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return OutboxJobOutcome.Done;
        }

        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var zone = QuietHours.Zone(subscription.TimeZone);
        if (QuietHours.HeldUntil(now, zone, settings.QuietHoursStart, settings.QuietHoursEnd) is { } quietEnd)
        {
            await Outbox.EnqueueAtAsync(JobKind, delivery, quietEnd, cancellationToken).ConfigureAwait(false);
            LogDelayed(logger, delivery.Kind, "quiet hours", quietEnd);
            return OutboxJobOutcome.Done;
        }
        var dailyKey = $"{DailyPrefix}{delivery.AccountNo}/{QuietHours.LocalDay(now, zone):yyyy-MM-dd}";
        // The slot is taken before the send (read and count under one eTag): two notices for the account delivered at
        // the same moment cannot both see room for one more. A send that fails keeps its slot (fewer, never more).
        if (!await TryTakeDailySlotAsync(dailyKey, settings.DailyLimit, now, cancellationToken).ConfigureAwait(false))
        {
            var tomorrow = QuietHours.NextLocalDay(now, zone);
            var due = QuietHours.HeldUntil(tomorrow, zone, settings.QuietHoursStart, settings.QuietHoursEnd) ?? tomorrow;
            await Outbox.EnqueueAtAsync(JobKind, delivery, due, cancellationToken).ConfigureAwait(false);
            LogDelayed(logger, delivery.Kind, "the daily limit", due);
            return OutboxJobOutcome.Done;
        }

        switch (await sender.SendAsync(subscription, delivery.Kind, cancellationToken).ConfigureAwait(false))
        {
            case SendOutcome.Sent:
                await storage.TryCreateAsync(sentKey, new DailyCount { Count = 1 }, now + TimeSpan.FromDays(7), cancellationToken).ConfigureAwait(false);
                return OutboxJobOutcome.Done;
            case SendOutcome.Gone:
                await subscriptions.RemoveAsync(delivery.AccountNo, subscription.Id, cancellationToken).ConfigureAwait(false);
                return OutboxJobOutcome.Done;
            case SendOutcome.Refused:
                return OutboxJobOutcome.Done;
            default:
                return OutboxJobOutcome.Retry;
        }
    }

    /// <summary>Counts one more notice for the local day unless the limit is reached; false when it is.</summary>
    private async Task<bool> TryTakeDailySlotAsync(string key, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.ReadAsync<DailyCount>(key, cancellationToken).ConfigureAwait(false);
            var count = stored?.Value.Count ?? 0;
            if (count >= limit)
            {
                return false;
            }
            try
            {
                await storage.WriteAsync(key, new DailyCount { Count = count + 1 }, stored?.ETag, now + TimeSpan.FromDays(2), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException) when (attempt < 10)
            {
                // Another notice for the account took a slot at the same moment: look again.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Kind} notice waits for {Reason}, until {Until}")]
    private static partial void LogDelayed(ILogger logger, NoticeKind kind, string reason, DateTimeOffset until);
}
