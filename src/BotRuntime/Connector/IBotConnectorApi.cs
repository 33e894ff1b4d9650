using BotRuntime.Schema;
using Refit;

namespace BotRuntime.Connector;

/// <summary>
/// The Bot Connector REST operations a bot uses to answer, on a channel's <c>serviceUrl</c>. Every call names the
/// channel and conversation it is made for as request options: <see cref="BotConnectorAuthorizationHandler"/>
/// attaches the bot's token only if the serviceUrl is trusted for exactly that conversation.
/// </summary>
public interface IBotConnectorApi
{
    [Post("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task<ResourceResponse> ReplyToActivityAsync(
        string conversationId, string activityId, [Body] Activity activity,
        [Property(BotConnectorAuthorizationHandler.ChannelIdOptionName)] string channelId,
        [Property(BotConnectorAuthorizationHandler.ConversationIdOptionName)] string forConversation,
        CancellationToken cancellationToken);

    [Post("/v3/conversations/{conversationId}/activities")]
    Task<ResourceResponse> SendToConversationAsync(
        string conversationId, [Body] Activity activity,
        [Property(BotConnectorAuthorizationHandler.ChannelIdOptionName)] string channelId,
        [Property(BotConnectorAuthorizationHandler.ConversationIdOptionName)] string forConversation,
        CancellationToken cancellationToken);

    /// <summary>Starts a conversation (Teams: a 1:1 chat with a user). <c>forConversation</c> names the conversation whose authenticated serviceUrl this is.</summary>
    [Post("/v3/conversations")]
    Task<ConversationResourceResponse> CreateConversationAsync(
        [Body] ConversationParameters parameters,
        [Property(BotConnectorAuthorizationHandler.ChannelIdOptionName)] string channelId,
        [Property(BotConnectorAuthorizationHandler.ConversationIdOptionName)] string forConversation,
        CancellationToken cancellationToken);

    [Put("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task<ResourceResponse> UpdateActivityAsync(
        string conversationId, string activityId, [Body] Activity activity,
        [Property(BotConnectorAuthorizationHandler.ChannelIdOptionName)] string channelId,
        [Property(BotConnectorAuthorizationHandler.ConversationIdOptionName)] string forConversation,
        CancellationToken cancellationToken);

    [Delete("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task DeleteActivityAsync(
        string conversationId, string activityId,
        [Property(BotConnectorAuthorizationHandler.ChannelIdOptionName)] string channelId,
        [Property(BotConnectorAuthorizationHandler.ConversationIdOptionName)] string forConversation,
        CancellationToken cancellationToken);
}
