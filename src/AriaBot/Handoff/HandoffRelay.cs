using AriaBot.Transcripts;
using BotRuntime.Connector;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// Sends to a handed-off customer outside any turn (agent replies, "the agent joined", the bot's return), on the
/// customer's own channel: our Direct Line appends to the conversation's log and pushes it to the open stream; a
/// Bot Connector channel (Teams, Slack, Azure Web Chat) gets a proactive send through <see cref="BotConnectorFactory"/>,
/// which refuses any serviceUrl that was not authenticated for that conversation. What is sent joins the transcript.
/// </summary>
public sealed partial class HandoffRelay(
    DirectLineStore directLineStore,
    DirectLineStreams directLineStreams,
    IOptionsMonitor<DirectLineOptions> directLineOptions,
    BotConnectorFactory connectors,
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
            if (handoff.ChannelId == Channels.DirectLine)
            {
                var settings = directLineOptions.CurrentValue;
                var bot = new ChannelAccount { Id = settings.BotId, Name = settings.BotName, Role = RoleTypes.Bot };
                activity.From = new ChannelAccount { Id = bot.Id, Name = activity.From?.Name ?? bot.Name, Role = RoleTypes.Bot };
                var connector = new DirectLineConnector(handoff.ConversationId, directLineStore, directLineStreams, bot, timeProvider);
                await connector.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var choice = await connectors.ForReferenceAsync(handoff.Reference, cancellationToken).ConfigureAwait(false);
                if (choice.Connector is null)
                {
                    LogRefused(handoff.Id, handoff.ChannelId, choice.Refusal ?? "no connector");
                    return false;
                }
                var name = activity.From?.Name;
                activity.ApplyConversationReference(handoff.Reference);
                if (name is not null && activity.From is not null)
                {
                    activity.From.Name = name;
                }
                await choice.Connector.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException)
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


    [LoggerMessage(Level = LogLevel.Warning, Message = "Handoff {HandoffId}: the {ChannelId} conversation cannot be reached proactively: {Reason}")]
    private partial void LogRefused(string handoffId, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handoff {HandoffId}: sending to the {ChannelId} conversation failed")]
    private partial void LogFailed(Exception exception, string handoffId, string channelId);
}
