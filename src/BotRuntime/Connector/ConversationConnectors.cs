using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using BotRuntime.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>
/// The one place that decides how to reach a stored conversation outside a turn (a page telling its chat how it
/// ended, an agent's reply, a notice). The ingress the conversation arrived through decides, never its channel id
/// alone (Azure's Direct Line also says <c>directline</c>):
/// <list type="bullet">
/// <item>our own Direct Line: appended to the conversation's log and pushed to its open stream;</item>
/// <item>Slack's Events API: the Slack Web API with the bot token, into the conversation's Slack channel;</item>
/// <item>anything else (the Bot Connector: Teams, Slack or Web Chat through Azure, the Emulator): only to a serviceUrl
/// an authenticated request recorded for that very conversation, or an allow-listed one
/// (<see cref="BotConnectorFactory.ForReferenceAsync"/>).</item>
/// </list>
/// Direct Line and Slack are optional parts of the runtime, so they are looked up when asked for: a conversation of
/// a part this host does not run is refused, not an error at start-up.
/// </summary>
public class ConversationConnectors(IServiceProvider services, BotConnectorFactory botConnectors, TimeProvider timeProvider)
{
    public virtual async Task<ConnectorChoice> ForConversationAsync(TurnIngress ingress, string conversationId, ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if ((ingress is TurnIngress.DirectLine or TurnIngress.SlackEvents) && string.IsNullOrEmpty(conversationId))
        {
            return ConnectorChoice.Refused("the conversation has no id");
        }
        return ingress switch
        {
            TurnIngress.DirectLine => ForDirectLine(conversationId, reference),
            TurnIngress.SlackEvents => ForSlack(conversationId),
            _ => await botConnectors.ForReferenceAsync(reference, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Sends one message into the conversation through <see cref="ForConversationAsync"/>, for a caller that has nothing
    /// to do but log when it cannot be delivered (a page telling its chat what the customer already saw there): null when
    /// it was sent; else why not, fit for a log line (the refusal, or the failure's type — never its message).
    /// </summary>
    public async Task<string?> TrySendAsync(TurnIngress ingress, string conversationId, ConversationReference reference, Activity message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var choice = await ForConversationAsync(ingress, conversationId, reference, cancellationToken).ConfigureAwait(false);
            if (choice.Connector is null)
            {
                return choice.Refusal ?? "no connector";
            }
            await choice.Connector.SendActivityAsync(message, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (IsDeliveryFailure(exception))
        {
            return exception.GetType().Name;
        }
    }

    /// <summary>
    /// Whether a proactive send failed in a way its caller logs and drops (the channel unreachable or answering an
    /// error, the Direct Line log busy): a send outside a turn has no customer waiting on an exception.
    /// </summary>
    public static bool IsDeliveryFailure(Exception exception) =>
        exception is HttpRequestException or Refit.ApiException or InvalidOperationException or TaskCanceledException or State.StorageConflictException or SlackApiException;

    private ConnectorChoice ForDirectLine(string conversationId, ConversationReference reference)
    {
        var store = services.GetService<DirectLineStore>();
        var streams = services.GetService<DirectLineStreams>();
        if (store is null || streams is null)
        {
            return ConnectorChoice.Refused("Direct Line is not served by this host");
        }
        // Only used for a reply that names no sender; the conversation's own bot account when it is known.
        var bot = reference.Bot ?? DefaultBot();
        return new ConnectorChoice(new DirectLineConnector(conversationId, store, streams, bot, timeProvider), null);
    }

    private ChannelAccount DefaultBot()
    {
        var settings = services.GetService<IOptionsMonitor<DirectLineOptions>>()?.CurrentValue;
        return new ChannelAccount { Id = settings?.BotId ?? "bot", Name = settings?.BotName };
    }

    private ConnectorChoice ForSlack(string conversationId)
    {
        if (services.GetService<SlackConnectorFactory>() is not { } slack)
        {
            return ConnectorChoice.Refused("Slack's Events API is not served by this host");
        }
        // Slack conversation ids are "team:channel" (SlackEventMapper.ConversationId); the Web API wants the channel.
        var separator = conversationId.IndexOf(':', StringComparison.Ordinal);
        var channel = conversationId[(separator + 1)..];
        return channel.Length == 0
            ? ConnectorChoice.Refused("the Slack conversation names no channel")
            : new ConnectorChoice(slack.Create(channel, threadTs: null), null);
    }
}
