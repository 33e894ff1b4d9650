using AriaBot.Notifications.Receiver;

namespace AriaBot.Notifications;

/// <summary>What kind of thing happened: all a notice says. Stored by name in held notices and outbox payloads.</summary>
public enum NoticeKind
{
    /// <summary>A collection failed or was declined (inferred: §13 documents no failed-payment event) → "update card".</summary>
    PaymentProblem,

    /// <summary>714 Account Credit Card Pending Expiration → "update card".</summary>
    CardExpiring,

    /// <summary>724/725 plan Assigned after a 720/721 Queued for Assignment: a queued change took effect → "see what changed".</summary>
    PlanChanged,

    /// <summary>901 Invoice Created → "see statement".</summary>
    InvoiceCreated,

    /// <summary>An order-class event → "see order".</summary>
    OrderUpdate,
}

/// <summary>Which Aria events become which notices (reference §13; labels are the contract, ids as listed there).</summary>
public static class NoticeKinds
{
    /// <summary>720/721: a plan queued for assignment (at the anniversary). Remembered, not told: the customer asked for it.</summary>
    public static readonly IReadOnlySet<int> QueuedForAssignment = new HashSet<int> { 720, 721 };

    /// <summary>724/725: a plan assigned. A notice only when a queued change preceded it (an immediate switch was seen in the chat).</summary>
    public static readonly IReadOnlySet<int> Assigned = new HashSet<int> { 724, 725 };

    public const int CardPendingExpiration = 714;
    public const int InvoiceCreated = 901;

    /// <summary>The notices an event gives, given whether a queued assignment was waiting for the account.</summary>
    public static IReadOnlyList<NoticeKind> For(AriaEvent ariaEvent, bool queuedChangeWaiting)
    {
        ArgumentNullException.ThrowIfNull(ariaEvent);
        var kinds = new List<NoticeKind>();
        switch (ariaEvent.Class)
        {
            case "T":
                if (ariaEvent.PaymentFailed)
                {
                    kinds.Add(NoticeKind.PaymentProblem);
                }
                else if (ariaEvent.EventIds.Contains(InvoiceCreated))
                {
                    kinds.Add(NoticeKind.InvoiceCreated);
                }
                break;
            case "A":
                if (ariaEvent.EventIds.Contains(CardPendingExpiration))
                {
                    kinds.Add(NoticeKind.CardExpiring);
                }
                if (queuedChangeWaiting && ariaEvent.EventIds.Any(Assigned.Contains))
                {
                    kinds.Add(NoticeKind.PlanChanged);
                }
                break;
            case "O":
                kinds.Add(NoticeKind.OrderUpdate);
                break;
        }
        return kinds;
    }

    /// <summary>Channels whose conversations cannot be written to later (a web chat's token lives 30 minutes): notices wait for the next signed-in visit.</summary>
    public static bool IsHeldChannel(string? channelId) =>
        channelId is BotRuntime.Schema.Channels.DirectLine or BotRuntime.Schema.Channels.Webchat;
}
