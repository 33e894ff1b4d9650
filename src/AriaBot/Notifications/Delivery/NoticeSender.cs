using System.Net;
using AriaBot.Language;
using AriaBot.Notifications.Subscriptions;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.Slack;

namespace AriaBot.Notifications.Delivery;

/// <summary>What became of one proactive send.</summary>
public enum SendOutcome
{
    Sent,

    /// <summary>The channel refused the conversation for good (403, 404, <c>channel_not_found</c>, app uninstalled): drop the subscription.</summary>
    Gone,

    /// <summary>Our own rules refuse it (the serviceUrl is no longer trusted for the conversation, a tenant not allowed): nothing sent, nothing retried.</summary>
    Refused,

    /// <summary>Unreachable for now (throttled, a 5xx, the network): try again later.</summary>
    Failed,
}

/// <summary>
/// Sends a notice into a Teams or Slack conversation proactively, on the conversation's own ingress
/// (<see cref="ConversationConnectors"/>): through the Bot Connector only to the serviceUrl an authenticated request
/// recorded for that very conversation, or an allow-listed one; Slack's own Events API through the Web API with the bot token.
/// </summary>
public sealed partial class NoticeSender(IWords words, ConversationConnectors connectors, ILogger<NoticeSender> logger)
{
    // Slack's answers that mean the conversation will never take a message from this app again.
    private static readonly HashSet<string> SlackGone = new(StringComparer.Ordinal)
    {
        "channel_not_found", "is_archived", "not_in_channel", "account_inactive", "user_disabled", "token_revoked", "app_uninstalled", "user_not_found",
    };

    public async Task<SendOutcome> SendAsync(Subscription subscription, NoticeKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var message = NoticeMessage.Build(words, kind, subscription.Locale);
        try
        {
            // Held channels (our Direct Line, web chat) never come here: EventJobHandler keeps their notices for the next visit.
            var choice = await connectors.ForConversationAsync(subscription.Ingress, subscription.ConversationId, subscription.Reference, cancellationToken).ConfigureAwait(false);
            if (choice.Connector is null)
            {
                LogRefused(logger, subscription.ChannelId, choice.Refusal ?? "no connector");
                return SendOutcome.Refused;
            }
            await choice.Connector.SendActivityAsync(message.ApplyConversationReference(subscription.Reference), cancellationToken).ConfigureAwait(false);
            return SendOutcome.Sent;
        }
        catch (Refit.ApiException exception) when (exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            LogGone(logger, subscription.ChannelId, $"HTTP {(int)exception.StatusCode}");
            return SendOutcome.Gone;
        }
        catch (SlackApiException exception) when (SlackGone.Contains(exception.Error))
        {
            LogGone(logger, subscription.ChannelId, exception.Error);
            return SendOutcome.Gone;
        }
        catch (Exception exception) when (exception is Refit.ApiException or SlackApiException or HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogFailed(logger, subscription.ChannelId, exception.GetType().Name);
            return SendOutcome.Failed;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice to a {ChannelId} conversation was not sent: {Reason}")]
    private static partial void LogRefused(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A {ChannelId} conversation refuses notices for good ({Reason}); its subscription is dropped")]
    private static partial void LogGone(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice to a {ChannelId} conversation failed ({ErrorType}); it will be retried")]
    private static partial void LogFailed(ILogger logger, string channelId, string errorType);
}
