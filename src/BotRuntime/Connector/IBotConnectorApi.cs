using BotRuntime.Schema;
using Refit;

namespace BotRuntime.Connector;

/// <summary>The Bot Connector REST operations a bot uses to answer, on a channel's <c>serviceUrl</c>.</summary>
public interface IBotConnectorApi
{
    [Post("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task<ResourceResponse> ReplyToActivityAsync(string conversationId, string activityId, [Body] Activity activity, CancellationToken cancellationToken);

    [Post("/v3/conversations/{conversationId}/activities")]
    Task<ResourceResponse> SendToConversationAsync(string conversationId, [Body] Activity activity, CancellationToken cancellationToken);

    [Put("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task<ResourceResponse> UpdateActivityAsync(string conversationId, string activityId, [Body] Activity activity, CancellationToken cancellationToken);

    [Delete("/v3/conversations/{conversationId}/activities/{activityId}")]
    Task DeleteActivityAsync(string conversationId, string activityId, CancellationToken cancellationToken);
}
