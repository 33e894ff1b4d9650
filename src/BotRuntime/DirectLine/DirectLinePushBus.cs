using System.Globalization;
using System.Threading.Channels;

namespace BotRuntime.DirectLine;

/// <summary>
/// Where <see cref="DirectLineStreams"/> announces what happened to a conversation's stream on this instance — its log
/// grew, the bot is typing, a logged activity was replaced — for other instances, and hears theirs. Off (announcements
/// dropped) until a relay between instances starts (<see cref="PostgresDirectLinePush"/>, when the state store is
/// PostgreSQL); a single instance needs none.
/// </summary>
/// <remarks>
/// A message names a conversation and, at most, a sequence number: never an activity, so nothing a customer typed or
/// was told travels in it. The receiving stream reads the log (the one truth) or, for typing, makes its own indicator.
/// Formats (the relay prefixes the sender's instance id): <c>{conversation}</c> — the log grew (the first version's
/// format, so instances of either version understand it); <c>~typing|{conversation}</c>; <c>~replaced|{seq}|{conversation}</c>.
/// A conversation id never starts with <c>~</c> (base64url), and an older instance reads the new kinds as a conversation
/// that has no stream there: it ignores them.
/// </remarks>
public sealed class DirectLinePushBus
{
    private const string TypingPrefix = "~typing|";
    private const string ReplacedPrefix = "~replaced|";

    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        // Under a burst the oldest announcements go first: the keep-alive tick still reads the log, so a dropped one
        // only delays a reply, never loses it (a dropped typing indicator or update is only a cosmetic loss).
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private volatile bool _enabled;

    /// <summary>True once a relay runs.</summary>
    public bool Enabled => _enabled;

    /// <summary>Messages for the relay to send to the other instances (formats above).</summary>
    public ChannelReader<string> Outgoing => _outgoing.Reader;

    internal void Enable() => _enabled = true;

    /// <summary>Called by the streams after a local append.</summary>
    public void Announce(string conversationId) => Send(conversationId);

    /// <summary>The bot is typing in the conversation (typing is never logged, so only this carries it).</summary>
    public void AnnounceTyping(string conversationId) => Send(TypingPrefix + conversationId);

    /// <summary>The logged activity <paramref name="seq"/> was replaced (an update, or a delete's tombstone).</summary>
    public void AnnounceReplaced(string conversationId, long seq) =>
        Send(ReplacedPrefix + seq.ToString(CultureInfo.InvariantCulture) + "|" + conversationId);

    private void Send(string message)
    {
        if (_enabled)
        {
            _outgoing.Writer.TryWrite(message);
        }
    }

    /// <summary>Hands a message another instance sent to this instance's streams.</summary>
    public static void Deliver(string message, DirectLineStreams streams)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(streams);
        if (message.StartsWith(TypingPrefix, StringComparison.Ordinal))
        {
            streams.ShowTyping(message[TypingPrefix.Length..]);
        }
        else if (message.StartsWith(ReplacedPrefix, StringComparison.Ordinal))
        {
            var rest = message.AsSpan(ReplacedPrefix.Length);
            var separator = rest.IndexOf('|');
            if (separator > 0 && long.TryParse(rest[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                streams.Resend(rest[(separator + 1)..].ToString(), seq);
            }
        }
        else if (!message.StartsWith('~'))
        {
            streams.Wake(message);
        }
    }
}
