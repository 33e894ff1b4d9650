using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// Tells the conversation that asked for a payment-method link how the page ended, as a proactive message, on the
/// conversation's own ingress (<see cref="ConversationConnectors"/>: a Bot Connector channel only at the serviceUrl
/// an authenticated request recorded for that very conversation).
/// The message holds only the masked card. A notice that cannot be delivered is logged and dropped: the page has
/// already shown the customer the same result.
/// </summary>
public sealed partial class PaymentMethodNotice(IWords words, ConversationConnectors connectors, ILogger<PaymentMethodNotice> logger)
{
    internal Task TellAddedAsync(PaymentMethodLinkRecord record, MaskedCard card, CancellationToken cancellationToken) =>
        SendAsync(record, PaymentMethodsWords.Format(words, PaymentMethodsWords.AddedInChat, record.Locale, card), cancellationToken);

    internal Task TellUnknownAsync(PaymentMethodLinkRecord record, CancellationToken cancellationToken) =>
        SendAsync(record, words.Format(PaymentMethodsWords.UnknownInChat, record.Locale), cancellationToken);

    private async Task SendAsync(PaymentMethodLinkRecord record, string text, CancellationToken cancellationToken)
    {
        if (record.Reference is not { } reference)
        {
            return;
        }
        var message = MessageFactory.Text(text).ApplyConversationReference(reference);
        if (await connectors.TrySendAsync(record.Ingress, record.ConversationId, reference, message, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            LogNotDelivered(logger, record.LinkId, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: the chat could not be told ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string linkId, string reason);
}
