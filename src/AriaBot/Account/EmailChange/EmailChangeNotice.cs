using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Tells the conversation that asked for an e-mail change that the page verified the code, as a proactive message, so
/// the customer knows to answer there, on the conversation's own ingress (<see cref="ConversationConnectors"/>: a Bot
/// Connector channel only at the serviceUrl an authenticated request recorded for that conversation). It holds no code
/// and no address. A notice that cannot be delivered is logged and dropped: the page has told the customer the same.
/// </summary>
public sealed partial class EmailChangeNotice(IWords words, ConversationConnectors connectors, ILogger<EmailChangeNotice> logger)
{
    internal async Task TellVerifiedAsync(EmailChangeRecord record, CancellationToken cancellationToken)
    {
        if (record.Reference is not { } reference)
        {
            return;
        }
        var message = MessageFactory.Text(words.Format(EmailChangeWords.VerifiedInChat, record.Locale)).ApplyConversationReference(reference);
        message.SuggestedActions = new SuggestedActions
        {
            Actions = [CardAction.ImBack(words.Format(EmailChangeWords.ContinueButton, record.Locale))],
        };
        if (await connectors.TrySendAsync(record.Ingress, record.ConversationId, reference, message, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            LogNotDelivered(logger, record.LinkId, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account e-mail change {LinkId}: the chat could not be told ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string linkId, string reason);
}
