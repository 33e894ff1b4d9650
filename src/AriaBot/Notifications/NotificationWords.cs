using AriaBot.Language;

namespace AriaBot.Notifications;

/// <summary>What the notifications say; wordings in <c>dialogs/Notifications/</c>.</summary>
[WordKeys]
public static class NotificationWords
{
    /// <summary>The phrases (every wording) that turn notifications on or off: a whole message must be one of them.</summary>
    public static readonly WordKey OptInPhrases = new("notifications.optInPhrases");
    public static readonly WordKey OptOutPhrases = new("notifications.optOutPhrases");
    public static readonly WordKey EmailOptInPhrases = new("notifications.emailOptInPhrases");
    public static readonly WordKey EmailOptedIn = new("notifications.emailOptedIn");

    public static readonly WordKey OptedIn = new("notifications.optedIn");
    public static readonly WordKey OptedInHeld = new("notifications.optedInHeld");
    public static readonly WordKey AlreadyOptedIn = new("notifications.alreadyOptedIn");
    public static readonly WordKey OptInNeedsSignIn = new("notifications.optInNeedsSignIn");
    public static readonly WordKey OptInExpired = new("notifications.optInExpired");
    public static readonly WordKey NotInGroups = new("notifications.notInGroups");
    public static readonly WordKey Unavailable = new("notifications.unavailable");
    public static readonly WordKey OptedOut = new("notifications.optedOut");
    public static readonly WordKey WasNotOptedIn = new("notifications.wasNotOptedIn");
    public static readonly WordKey Off = new("notifications.off");

    // The time zone quiet hours follow, asked once on a channel that pushes notices; "change my time zone" later.
    public static readonly WordKey TimeZonePhrases = new("notifications.timeZonePhrases");
    public static readonly WordKey TimeZoneChoices = new("notifications.timeZoneChoices");
    public static readonly WordKey TimeZoneQuestion = new("notifications.timeZoneQuestion", "zone", "from", "to");
    public static readonly WordKey TimeZoneSet = new("notifications.timeZoneSet", "zone");
    public static readonly WordKey TimeZoneUnknown = new("notifications.timeZoneUnknown");
    public static readonly WordKey TimeZoneNotSubscribed = new("notifications.timeZoneNotSubscribed");

    /// <summary>After a completed change, the offer to opt in; the button's title is itself an opt-in phrase.</summary>
    public static readonly WordKey OfferAfterChange = new("notifications.offerAfterChange");
    public static readonly WordKey OfferButton = new("notifications.offerButton");

    // The notices: the kind only, never an amount, a plan or a status (those come after the session check).
    public static readonly WordKey PaymentProblem = new("notifications.paymentProblem");
    public static readonly WordKey CardExpiring = new("notifications.cardExpiring");
    public static readonly WordKey PlanChanged = new("notifications.planChanged");
    public static readonly WordKey InvoiceCreated = new("notifications.invoiceCreated");
    public static readonly WordKey OrderUpdate = new("notifications.orderUpdate");

    public static readonly WordKey UpdateCardButton = new("notifications.updateCardButton");
    public static readonly WordKey SeeWhatChangedButton = new("notifications.seeWhatChangedButton");
    public static readonly WordKey SeeStatementButton = new("notifications.seeStatementButton");
    public static readonly WordKey SeeOrderButton = new("notifications.seeOrderButton");

    public static readonly WordKey EmailSubject = new("notifications.emailSubject");
    public static readonly WordKey EmailFooter = new("notifications.emailFooter");

    public static WordKey Sentence(NoticeKind kind) => kind switch
    {
        NoticeKind.PaymentProblem => PaymentProblem,
        NoticeKind.CardExpiring => CardExpiring,
        NoticeKind.PlanChanged => PlanChanged,
        NoticeKind.InvoiceCreated => InvoiceCreated,
        _ => OrderUpdate,
    };

    public static WordKey Button(NoticeKind kind) => kind switch
    {
        NoticeKind.PaymentProblem or NoticeKind.CardExpiring => UpdateCardButton,
        NoticeKind.PlanChanged => SeeWhatChangedButton,
        NoticeKind.InvoiceCreated => SeeStatementButton,
        _ => SeeOrderButton,
    };
}
