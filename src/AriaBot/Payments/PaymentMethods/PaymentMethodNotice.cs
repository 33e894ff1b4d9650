using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.DirectLine;
using BotRuntime.Schema;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// Tells the conversation that asked for a payment-method link how the page ended, as a proactive message: on our own
/// Direct Line straight into the conversation's log and stream; through the Bot Connector only to the serviceUrl that
/// an authenticated request recorded for that very conversation (<see cref="BotConnectorFactory.ForReferenceAsync"/>).
/// The message holds only the masked card. A notice that cannot be delivered is logged and dropped: the page has
/// already shown the customer the same result.
/// </summary>
public sealed partial class PaymentMethodNotice(IWords words, IServiceProvider services, TimeProvider timeProvider, ILogger<PaymentMethodNotice> logger)
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
        try
        {
            var message = MessageFactory.Text(text).ApplyConversationReference(reference);
            IChannelConnector? connector;
            if (record.Ingress == TurnIngress.DirectLine)
            {
                var bot = reference.Bot ?? new ChannelAccount { Id = "bot" };
                connector = new DirectLineConnector(record.ConversationId, services.GetRequiredService<DirectLineStore>(), services.GetRequiredService<DirectLineStreams>(), bot, timeProvider);
            }
            else
            {
                var choice = await services.GetRequiredService<BotConnectorFactory>().ForReferenceAsync(reference, cancellationToken).ConfigureAwait(false);
                connector = choice.Connector;
                if (connector is null)
                {
                    LogNotDelivered(logger, record.LinkId, choice.Refusal ?? "no connector");
                    return;
                }
            }
            await connector.SendActivityAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException or BotRuntime.State.StorageConflictException)
        {
            LogNotDelivered(logger, record.LinkId, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: the chat could not be told ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string linkId, string reason);
}
