using BotRuntime.Schema;

namespace BotRuntime.Connector;

/// <summary>
/// Where a turn's replies go. The turn pipeline never knows the channel: the ingress that received the
/// activity (Bot Connector, Direct Line, Slack, expectReplies) supplies the connector for the turn.
/// </summary>
public interface IChannelConnector
{
    /// <summary>Delivers one fully addressed activity (conversation, sides and reply target already set).</summary>
    Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken);

    Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken);

    Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken);
}

/// <summary>Collects a turn's replies for a <c>deliveryMode: expectReplies</c> answer instead of posting them.</summary>
public sealed class ExpectRepliesConnector : IChannelConnector
{
    private readonly List<Activity> _activities = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Activity> Activities
    {
        get
        {
            lock (_gate)
            {
                return [.. _activities];
            }
        }
    }

    public Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // Copied so that a bot that keeps mutating its activity object cannot change what was "sent"; a reply also shares
        // the incoming activity's conversation and accounts (TurnContext addresses it with them), which the turn may change.
        var copy = activity.Clone();
        copy.Id ??= $"reply-{Guid.NewGuid():N}";
        lock (_gate)
        {
            _activities.Add(copy);
        }
        return Task.FromResult(new ResourceResponse(copy.Id));
    }

    public Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        lock (_gate)
        {
            var index = _activities.FindIndex(sent => sent.Id == activity.Id);
            if (index < 0)
            {
                throw new InvalidOperationException($"Activity '{activity.Id}' was not sent in this turn; expectReplies can only update replies of the same turn.");
            }
            _activities[index] = activity.Clone();
        }
        return Task.FromResult(new ResourceResponse(activity.Id));
    }

    public Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        lock (_gate)
        {
            _activities.RemoveAll(sent => sent.Id == reference.ActivityId);
        }
        return Task.CompletedTask;
    }
}
