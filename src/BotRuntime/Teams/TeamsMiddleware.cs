using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Schema;

namespace BotRuntime.Teams;

/// <summary>
/// Makes a Teams turn look like any other to the bot, and the bot's replies fit Teams (bot-protocol.md §6):
/// <list type="bullet">
/// <item>the bot's own @mention is cut from the text, so "@AriaBot switch my plan" is understood as "switch my plan";</item>
/// <item>the tenant named only in <c>channelData</c> is copied to <c>conversation.tenantId</c>, so stored references
/// (proactive sends) carry it for the tenant allow-list;</item>
/// <item>an <c>adaptiveCard/action</c> invoke (<c>Action.Execute</c>) is answered with an invoke response and its data runs
/// as the answer it carries, exactly as an <c>Action.Submit</c> message would;</item>
/// <item>suggested actions where Teams does not show them (outside a personal chat, or more than three) go out as
/// hero-card buttons instead, so no reply loses its choices; so do suggested actions that must carry a value
/// (messageBack, postBack), since a Teams suggested action posts only its text — a preview's Confirm must reach the
/// bot with the preview id it belongs to.</item>
/// </list>
/// Registered first among the turn's middleware, so everything after it sees the cleaned activity.
/// </summary>
public sealed class TeamsMiddleware : IMiddleware
{
    /// <summary>How many buttons one hero card carries in Teams (its cards reference allows six).</summary>
    private const int ButtonsPerCard = 6;

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (!TeamsActivity.IsTeams(activity))
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (activity.Conversation is { } conversation && string.IsNullOrEmpty(conversation.TenantId))
        {
            conversation.TenantId = TeamsActivity.TenantId(activity);
        }
        TeamsActivity.StripBotMention(activity);
        turnContext.OnSendActivities(async (context, activities, nextSend) =>
        {
            foreach (var reply in activities)
            {
                MoveSuggestedActionsToCard(context.Activity, reply);
            }
            return await nextSend().ConfigureAwait(false);
        });

        if (activity.IsType(ActivityTypes.Invoke) && activity.Name == TeamsActivity.AdaptiveCardActionInvoke)
        {
            await RunCardActionAsync(turnContext, next, cancellationToken).ConfigureAwait(false);
            return;
        }
        await next(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The invoke is acknowledged first (Teams waits for the HTTP answer, and shows an error on the card without one),
    /// then its <c>action.data</c> runs as a message carrying that value; the bot's replies arrive as normal messages.
    /// </summary>
    private static async Task RunCardActionAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        JsonElement? data = null;
        if (activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object
            && action.TryGetProperty("data", out var actionData))
        {
            data = actionData.Clone();
        }
        turnContext.TurnState.Set(ActivityHandler.InvokeResponseKey, new InvokeResponse
        {
            Status = 200,
            Body = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["statusCode"] = 200,
                ["type"] = "application/vnd.microsoft.activity.message",
                ["value"] = "OK",
            }),
        });
        if (data is null)
        {
            return;
        }
        var (type, name, originalValue, text) = (activity.Type, activity.Name, activity.Value, activity.Text);
        activity.Type = ActivityTypes.Message;
        activity.Name = null;
        activity.Value = data.Value.ValueKind == JsonValueKind.Object ? data : null;
        activity.Text = data.Value.ValueKind == JsonValueKind.String ? data.Value.GetString() : null;
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The runtime answers an invoke by its type: the HTTP answer must still be the invoke response.
            (activity.Type, activity.Name, activity.Value, activity.Text) = (type, name, originalValue, text);
        }
    }

    /// <summary>Suggested actions Teams would not show become hero cards of up to six buttons each.</summary>
    internal static void MoveSuggestedActionsToCard(Activity inbound, Activity reply)
    {
        if (reply.SuggestedActions?.Actions is not { Count: > 0 } actions
            || (actions.Count <= ChannelCapabilities.MaxSuggestedActions(inbound) && actions.TrueForAll(action => action.Type == ActionTypes.ImBack)))
        {
            return;
        }
        reply.Attachments ??= [];
        foreach (var chunk in actions.Chunk(ButtonsPerCard))
        {
            reply.Attachments.Add(new HeroCard { Buttons = [.. chunk] }.ToAttachment());
        }
        reply.SuggestedActions = null;
    }
}
