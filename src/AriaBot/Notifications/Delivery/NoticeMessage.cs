using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace AriaBot.Notifications.Delivery;

/// <summary>
/// A notice as the customer sees it: one sentence saying what kind of thing happened, and one button. The button posts
/// the label of the use case that shows the details ("Update payment method", "Account summary"…), so its turn is an
/// ordinary request: the use case's dialog checks the session (<c>validate_session_m</c>) before it reads or shows
/// anything, and a stale or forged event can show nothing wrong.
/// </summary>
public static class NoticeMessage
{
    public static Activity Build(IWords words, NoticeKind kind, string? locale)
    {
        ArgumentNullException.ThrowIfNull(words);
        var button = CardAction.ImBack(words.Format(NotificationWords.Button(kind), locale), words.Format(IntentWords.Label(UseCaseFor(kind)), locale));
        var message = MessageFactory.SuggestedActions([button], words.Format(NotificationWords.Sentence(kind), locale));
        message.Locale = locale;
        return message;
    }

    /// <summary>Where the button leads: "update card" starts the payment-method flow.</summary>
    public static Intent UseCaseFor(NoticeKind kind) => kind switch
    {
        NoticeKind.PaymentProblem or NoticeKind.CardExpiring => Intent.UpdatePaymentMethod,
        NoticeKind.PlanChanged => Intent.ViewAccount,
        NoticeKind.InvoiceCreated => Intent.ViewStatements,
        _ => Intent.ViewOrders,
    };
}
