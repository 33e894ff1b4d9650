using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.Slack;

/// <summary>
/// Slack through Azure Bot Service (<c>channelId: "slack"</c> on <c>/api/messages</c>): Azure's Slack channel shows
/// native Slack message JSON given in <c>channelData</c>, so every outgoing message gets the same Block Kit rendering
/// as the direct ingress; and a click on one of those buttons, which Azure forwards as the raw interactive
/// <c>Payload</c>, is read back into the activity's text and value as the direct ingress does.
/// </summary>
public sealed class SlackChannelDataMiddleware : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity.ChannelId != Channels.Slack || TurnIngresses.Of(turnContext) == TurnIngress.SlackEvents)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }
        ReadButtonClick(activity);
        turnContext.OnSendActivities(async (_, activities, nextSend) =>
        {
            foreach (var outgoing in activities.Where(a => a.IsType(ActivityTypes.Message) && a.ChannelData is null))
            {
                outgoing.ChannelData = JsonSerializer.SerializeToElement(SlackBlocks.Render(outgoing).ToJson());
            }
            return await nextSend().ConfigureAwait(false);
        });
        await next(cancellationToken).ConfigureAwait(false);
    }

    private static void ReadButtonClick(Activity activity)
    {
        if (activity.IsType(ActivityTypes.Message)
            && activity.ChannelData is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("Payload", out var payload) && payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0
            && actions[0].TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            && SlackButtonValue.TryRead(value.GetString(), out var text, out var carried))
        {
            activity.Text = text;
            activity.Value = carried;
        }
    }
}
