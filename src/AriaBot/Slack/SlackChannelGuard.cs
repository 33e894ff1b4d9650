using System.Text.Json;
using System.Text.RegularExpressions;
using AriaBot.Language;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.Slack;
using Microsoft.Extensions.Logging;

namespace AriaBot.Slack;

/// <summary>
/// In a Slack channel (anything but a direct message) the assistant shows nothing of any account and runs no flow:
/// it answers a mention by offering a direct message — a button that opens the app's DM, and, through the direct
/// Slack ingress, a DM opened with <c>conversations.open</c> and a first message there. Runs after the privacy and
/// transcript middleware, so what was typed in the channel is redacted like any other message.
/// </summary>
public sealed partial class SlackChannelGuard(IWords words, ILogger<SlackChannelGuard> logger) : BotRuntime.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity.ChannelId != Channels.Slack || !activity.IsType(ActivityTypes.Message) || !BindingKey.IsGroupConversation(activity))
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }
        var locale = activity.Locale;
        var (appId, teamId, slackUser) = SlackIds(activity);
        var offer = MessageFactory.Text(words.Format(SlackWords.OfferDirectMessage, locale));
        if (appId is not null && teamId is not null)
        {
            var link = $"https://slack.com/app_redirect?app={appId}&team={teamId}";
            offer.SuggestedActions = new SuggestedActions { Actions = [CardAction.OpenUrl(words.Format(SlackWords.OpenDirectMessage, locale), link)] };
        }
        await turnContext.SendActivityAsync(offer, cancellationToken).ConfigureAwait(false);

        if (slackUser is not null && turnContext.TurnState.Get<IChannelConnector>(ChannelAdapter.ConnectorKey) is SlackConnector slack)
        {
            try
            {
                await slack.SendDirectMessageAsync(slackUser, MessageFactory.Text(words.Format(SlackWords.DirectMessageGreeting, locale)), cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException exception)
            {
                // The button in the channel still opens the DM.
                LogDirectMessageFailed(logger, exception.Error);
            }
        }
    }

    /// <summary>The app, workspace and Slack user of the message, from the Slack payload in channelData (ids only).</summary>
    private static (string? AppId, string? TeamId, string? User) SlackIds(Activity activity)
    {
        if (activity.ChannelData is not { ValueKind: JsonValueKind.Object } data
            || !data.TryGetProperty("SlackMessage", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return (null, null, null);
        }
        string? user = null;
        if (message.TryGetProperty("event", out var slackEvent) && slackEvent.ValueKind == JsonValueKind.Object)
        {
            user = Id(slackEvent, "user");
        }
        return (Id(message, "api_app_id"), Id(message, "team_id"), user);
    }

    /// <summary>A Slack id (letters and digits only), so nothing else can be smuggled into a link or an API call.</summary>
    private static string? Id(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } id && SlackId().IsMatch(id) ? id : null;

    [GeneratedRegex("^[A-Z0-9]{2,32}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex SlackId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening a Slack direct message failed: {Error}")]
    private static partial void LogDirectMessageFailed(ILogger logger, string error);
}
