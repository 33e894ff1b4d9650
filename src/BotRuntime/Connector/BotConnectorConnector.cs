using BotRuntime.Schema;
using Refit;

namespace BotRuntime.Connector;

/// <summary>Sends replies to a Bot Connector channel (Azure Bot Service, the Emulator) at its serviceUrl.</summary>
public sealed class BotConnectorConnector : IChannelConnector
{
    /// <summary>The named HttpClient whose handlers (authentication, resilience) carry every Bot Connector call.</summary>
    public const string HttpClientName = "BotConnector";

    private readonly IBotConnectorApi _api;

    public BotConnectorConnector(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _api = RestService.ForGenerated<IBotConnectorApi>(httpClient, BotJson.WireContext);
    }

    public Uri? ServiceUrl { get; init; }

    public async Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var conversationId = RequireConversation(activity.Conversation?.Id);
        var channelId = RequireChannel(activity.ChannelId);
        var response = string.IsNullOrEmpty(activity.ReplyToId)
            ? await _api.SendToConversationAsync(conversationId, activity, channelId, conversationId, cancellationToken).ConfigureAwait(false)
            : await _api.ReplyToActivityAsync(conversationId, activity.ReplyToId, activity, channelId, conversationId, cancellationToken).ConfigureAwait(false);
        return response ?? new ResourceResponse();
    }

    /// <summary>
    /// Creates a conversation on this serviceUrl. <paramref name="authorizedBy"/> is the conversation whose authenticated
    /// request trusted the serviceUrl: the bot's token goes only where that conversation's replies may go.
    /// </summary>
    public Task<ConversationResourceResponse> CreateConversationAsync(ConversationParameters parameters, string channelId, string authorizedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _api.CreateConversationAsync(parameters, RequireChannel(channelId), RequireConversation(authorizedBy), cancellationToken);
    }

    public async Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var conversationId = RequireConversation(activity.Conversation?.Id);
        var channelId = RequireChannel(activity.ChannelId);
        var activityId = activity.Id ?? throw new ArgumentException("An update needs the id of the activity to replace.", nameof(activity));
        return await _api.UpdateActivityAsync(conversationId, activityId, activity, channelId, conversationId, cancellationToken).ConfigureAwait(false) ?? new ResourceResponse(activityId);
    }

    public Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var conversationId = RequireConversation(reference.Conversation?.Id);
        var channelId = RequireChannel(reference.ChannelId);
        var activityId = reference.ActivityId ?? throw new ArgumentException("A delete needs the activity id.", nameof(reference));
        return _api.DeleteActivityAsync(conversationId, activityId, channelId, conversationId, cancellationToken);
    }

    private static string RequireConversation(string? conversationId) =>
        string.IsNullOrEmpty(conversationId) ? throw new ArgumentException("The activity has no conversation id.") : conversationId;

    private static string RequireChannel(string? channelId) =>
        string.IsNullOrEmpty(channelId) ? throw new ArgumentException("The activity has no channel id.") : channelId;
}
