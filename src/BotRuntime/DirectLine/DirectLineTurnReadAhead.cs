using System.Security.Claims;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.DirectLine;

/// <summary>
/// Names a Direct Line turn's conversation record (<c>dl/c/{id}</c>) for the read-ahead (issue 22): the turn's first
/// reply appends under the record's eTag, so on PostgreSQL that read comes with the lease instead of a round trip of
/// its own. Serving it equals reading the record when the lease was taken; a post that changed it since only makes the
/// reply's write conflict and read again (<see cref="DirectLineStore.AppendAsync"/>).
/// </summary>
internal sealed class DirectLineTurnReadAhead : ITurnReadAheadKeys
{
    public IEnumerable<string> KeysFor(Activity activity, ClaimsIdentity? identity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // Only our own Direct Line's turns: Azure's Direct Line reaches /api/messages with channelId "directline" too,
        // and its conversations have no record here.
        if (TurnIngresses.Of(identity) == TurnIngress.DirectLine && activity.Conversation?.Id is { } id && DirectLineStore.IsWellFormedConversationId(id))
        {
            return [DirectLineStore.RecordKey(id)];
        }
        return [];
    }
}
