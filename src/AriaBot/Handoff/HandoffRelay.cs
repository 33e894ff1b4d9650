using AriaBot.Transcripts;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// Sends to a handed-off customer outside any turn (agent replies, "the agent joined", the bot's return), on the
/// customer's own ingress, chosen by <see cref="ConversationConnectors"/>: our Direct Line appends to the conversation's
/// log and pushes it to the open stream; Slack's Events API posts with the bot token; a Bot Connector channel (Teams,
/// Slack or Web Chat through Azure) gets a proactive send only to a serviceUrl authenticated for that conversation.
/// What is sent joins the transcript.
/// </summary>
public sealed partial class HandoffRelay(
    IOptionsMonitor<DirectLineOptions> directLineOptions,
    ConversationConnectors connectors,
    ITranscriptStore transcripts,
    TimeProvider timeProvider,
    ILogger<HandoffRelay> logger)
{
    /// <summary>Sends <paramref name="activity"/>; false when the channel cannot be reached (logged, never thrown at the agent).</summary>
    public async Task<bool> SendAsync(HandoffCase handoff, Activity activity, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        ArgumentNullException.ThrowIfNull(activity);
        activity.Locale ??= handoff.Locale;
        try
        {
            var choice = await connectors.ForConversationAsync(IngressOf(handoff), handoff.ConversationId, handoff.Reference, cancellationToken).ConfigureAwait(false);
            if (choice.Connector is null)
            {
                LogRefused(handoff.Id, handoff.ChannelId, choice.Refusal ?? "no connector");
                return false;
            }
            if (choice.Connector is DirectLineConnector)
            {
                // Our Direct Line names the bot as configured; the agent's name (when set) is shown as the sender.
                var settings = directLineOptions.CurrentValue;
                activity.From = new ChannelAccount { Id = settings.BotId, Name = activity.From?.Name ?? settings.BotName, Role = RoleTypes.Bot };
            }
            else
            {
                var name = activity.From?.Name;
                activity.ApplyConversationReference(handoff.Reference);
                if (name is not null && activity.From is not null)
                {
                    activity.From.Name = name;
                }
            }
            await choice.Connector.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (ConversationConnectors.IsDeliveryFailure(exception))
        {
            LogFailed(exception, handoff.Id, handoff.ChannelId);
            return false;
        }
        if (!string.IsNullOrEmpty(activity.Text))
        {
            await transcripts.AppendAsync(handoff.ConversationKey, new TranscriptEntry
            {
                At = timeProvider.GetUtcNow(),
                Role = role,
                Type = activity.Type ?? ActivityTypes.Message,
                Text = activity.Text,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    // Cases stored before the ingress was recorded say Unknown: our own Direct Line was then told apart by its channel.
    private static TurnIngress IngressOf(HandoffCase handoff) =>
        handoff.Ingress == TurnIngress.Unknown && handoff.ChannelId == Channels.DirectLine ? TurnIngress.DirectLine : handoff.Ingress;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handoff {HandoffId}: the {ChannelId} conversation cannot be reached proactively: {Reason}")]
    private partial void LogRefused(string handoffId, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handoff {HandoffId}: sending to the {ChannelId} conversation failed")]
    private partial void LogFailed(Exception exception, string handoffId, string channelId);
}
