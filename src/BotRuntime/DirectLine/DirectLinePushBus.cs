using System.Threading.Channels;

namespace BotRuntime.DirectLine;

/// <summary>
/// Where <see cref="DirectLineStreams"/> announces "this conversation's log grew here" for other instances, and hears
/// theirs. Off (announcements dropped) until a relay between instances starts (<see cref="PostgresDirectLinePush"/>,
/// when the state store is PostgreSQL); a single instance needs none.
/// </summary>
public sealed class DirectLinePushBus
{
    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        // Under a burst the oldest announcements go first: the keep-alive tick still reads the log, so a dropped one
        // only delays a reply, never loses it.
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private volatile bool _enabled;

    /// <summary>True once a relay runs.</summary>
    public bool Enabled => _enabled;

    /// <summary>Conversations whose log grew on this instance, for the relay to announce.</summary>
    public ChannelReader<string> Outgoing => _outgoing.Reader;

    internal void Enable() => _enabled = true;

    /// <summary>Called by the streams after a local append.</summary>
    public void Announce(string conversationId)
    {
        if (_enabled)
        {
            _outgoing.Writer.TryWrite(conversationId);
        }
    }
}
