using System.Collections;

namespace BotRuntime.Hosting;

/// <summary>
/// The logging scope of a turn: its conversation, activity and channel ids, as the key/value pairs every logging
/// provider reads from a scope. One small object per turn instead of a dictionary with its buckets and entries (issue 22:
/// the runtime's turn allocates per request whether or not anything is logged).
/// </summary>
internal sealed class TurnLogScope(string? conversationId, string? activityId, string? channelId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ConversationId", conversationId),
        1 => new("ActivityId", activityId),
        2 => new("ChannelId", channelId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ConversationId:{conversationId} ActivityId:{activityId} ChannelId:{channelId}";
}
