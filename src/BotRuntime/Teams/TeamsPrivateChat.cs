using System.Net.Http;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace BotRuntime.Teams;

/// <summary>
/// Opens the bot's 1:1 chat with the user of a Teams group turn and sends a first message there (CreateConversation
/// on the turn's serviceUrl, then SendToConversation). Teams allows it only where the app is installed for the user;
/// otherwise the connector refuses and the caller falls back to a link. The new conversation's serviceUrl is trusted
/// because the connector the group turn authenticated created it.
/// </summary>
public sealed partial class TeamsPrivateChat(ServiceUrlTrust trust, IOptionsMonitor<TeamsOptions> teams, ILogger<TeamsPrivateChat> logger)
{
    /// <summary>True when <paramref name="message"/> reached the user's personal chat.</summary>
    public async Task<bool> TrySendAsync(ITurnContext turnContext, Activity message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(message);
        var activity = turnContext.Activity;
        var tenantId = TeamsActivity.TenantId(activity);
        if (turnContext.TurnState.Get<IChannelConnector>(ChannelAdapter.ConnectorKey) is not BotConnectorConnector connector
            || !TeamsActivity.IsTeams(activity) || activity.From?.Id is not { Length: > 0 } userId || activity.Recipient?.Id is not { Length: > 0 }
            || activity.Conversation?.Id is not { Length: > 0 } groupId || activity.ServiceUrl is not { Length: > 0 } serviceUrl
            || string.IsNullOrEmpty(tenantId) || !teams.CurrentValue.IsTenantAllowed(tenantId))
        {
            return false;
        }
        try
        {
            var created = await connector.CreateConversationAsync(new ConversationParameters
            {
                IsGroup = false,
                Bot = new ChannelAccount { Id = activity.Recipient.Id, Name = activity.Recipient.Name },
                Members = [new ChannelAccount { Id = userId }],
                TenantId = tenantId,
                ChannelData = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["tenant"] = new Dictionary<string, string> { ["id"] = tenantId } }),
            }, Channels.Msteams, groupId, cancellationToken).ConfigureAwait(false);
            if (created?.Id is not { Length: > 0 } personalId)
            {
                return false;
            }
            await trust.RecordAsync(Channels.Msteams, personalId, serviceUrl, cancellationToken).ConfigureAwait(false);
            message.ChannelId = Channels.Msteams;
            message.ServiceUrl = serviceUrl;
            message.Conversation = new ConversationAccount { Id = personalId, ConversationType = TeamsActivity.Personal, TenantId = tenantId };
            message.From = new ChannelAccount { Id = activity.Recipient.Id, Name = activity.Recipient.Name };
            message.Recipient = new ChannelAccount { Id = userId };
            message.ReplyToId = null;
            message.Locale ??= activity.Locale;
            await connector.SendActivityAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is ApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogNotOpened(logger, exception.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not open a personal chat with the user (the app may not be installed for them): {Reason}")]
    private static partial void LogNotOpened(ILogger logger, string reason);
}
