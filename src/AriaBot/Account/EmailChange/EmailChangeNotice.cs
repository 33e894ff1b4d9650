using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.DirectLine;
using BotRuntime.Schema;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Tells the conversation that asked for an e-mail change that the page verified the code, as a proactive message, so
/// the customer knows to answer there: on our own Direct Line straight into the conversation's log and stream; through
/// the Bot Connector only to the serviceUrl an authenticated request recorded for that conversation. It holds no code
/// and no address. A notice that cannot be delivered is logged and dropped: the page has told the customer the same.
/// </summary>
public sealed partial class EmailChangeNotice(IWords words, IServiceProvider services, TimeProvider timeProvider, ILogger<EmailChangeNotice> logger)
{
    internal async Task TellVerifiedAsync(EmailChangeRecord record, CancellationToken cancellationToken)
    {
        if (record.Reference is not { } reference)
        {
            return;
        }
        try
        {
            var message = MessageFactory.Text(words.Format(EmailChangeWords.VerifiedInChat, record.Locale)).ApplyConversationReference(reference);
            message.SuggestedActions = new SuggestedActions
            {
                Actions = [CardAction.ImBack(words.Format(EmailChangeWords.ContinueButton, record.Locale))],
            };
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account e-mail change {LinkId}: the chat could not be told ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string linkId, string reason);
}
