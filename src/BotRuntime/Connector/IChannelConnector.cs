using System.Globalization;
using System.Security.Cryptography;
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

    /// <summary>
    /// A reply's id need only be unique, not secret: 64 random bits drawn once per process keep two instances, or a
    /// process and its restart, apart, and a counter numbers the replies within it. A <c>Guid.NewGuid</c> per reply was
    /// a random read of its own, 2.5 % of the runtime echo's busy samples (issue 22).
    /// </summary>
    private static readonly string ReplyIdPrefix = $"reply-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-";

    private static long _lastReplyNumber;

    internal static string NextReplyId() =>
        string.Create(CultureInfo.InvariantCulture, $"{ReplyIdPrefix}{Interlocked.Increment(ref _lastReplyNumber):x}");

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
        copy.Id ??= NextReplyId();
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
