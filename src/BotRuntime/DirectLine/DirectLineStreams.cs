using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.DirectLine;

/// <summary>
/// The WebSocket streams: at most one per conversation (a second one closes the first with reason
/// <c>collision</c>). A stream replays the log from its watermark, then sends what is appended, each frame an
/// ActivitySet of exactly one activity (a batch reaches DirectLineJS out of order, see <c>SendLogAsync</c>), and an
/// empty frame as keep-alive when idle. Wake-ups are in-process hints only: every send
/// reads the log from the stream's watermark, and the keep-alive tick reads it too, so another instance's
/// appends reach this stream at the latest one interval later — or at once when the instances relay their appends
/// (<see cref="DirectLinePushBus"/>, over PostgreSQL <c>LISTEN/NOTIFY</c>): a relayed append wakes the stream to read the log.
/// Typing indicators and replaced (updated or deleted) activities are relayed the same way.
/// </summary>
public sealed partial class DirectLineStreams(DirectLineStore store, IOptionsMonitor<DirectLineOptions> options, TimeProvider timeProvider, ILogger<DirectLineStreams> logger, DirectLinePushBus? bus = null)
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// An activity to send: with its sequence number when it is in the log, without for typing and updates; or, with
    /// no activity, a wake-up to read the log (another instance appended to it), or, with <see cref="Replaced"/>, to
    /// send that logged activity again (another instance replaced it).
    /// </summary>
    private readonly record struct Signal(Activity? Activity, long? Seq, long? Replaced = null);

    private sealed class Session
    {
        public Channel<Signal> Signals { get; } = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
        public CancellationTokenSource Collision { get; } = new();
    }

    /// <summary>How many streams are open (tests, metrics).</summary>
    public int OpenStreams
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>An activity was appended to the log as <paramref name="seq"/>.</summary>
    public void Notify(string conversationId, Activity activity, long seq)
    {
        Enqueue(conversationId, new Signal(activity, seq));
        // The conversation's stream may be open on another instance.
        bus?.Announce(conversationId);
    }

    /// <summary>Another instance appended to the conversation's log: its stream here, if any, reads the log.</summary>
    public void Wake(string conversationId) => Enqueue(conversationId, new Signal(null, null));

    /// <summary>Every open stream reads its log (after the relay between instances was down and may have missed some).</summary>
    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.Values)
            {
                session.Signals.Writer.TryWrite(new Signal(null, null));
            }
        }
    }

    /// <summary>An activity that is not (newly) in the log: typing, an update of an earlier one.</summary>
    public void Push(string conversationId, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Enqueue(conversationId, new Signal(activity, null));
        // The conversation's stream may be open on another instance: typing is told as such (it is never logged), a
        // replaced activity by its sequence number (that instance reads the new version from the log).
        if (activity.IsType(ActivityTypes.Typing))
        {
            bus?.AnnounceTyping(conversationId);
        }
        else if (DirectLineStore.SeqOf(conversationId, activity.Id) is { } seq)
        {
            bus?.AnnounceReplaced(conversationId, seq);
        }
    }

    /// <summary>The bot is typing on another instance: the stream here, if any, shows an indicator of its own.</summary>
    public void ShowTyping(string conversationId)
    {
        var bot = options.CurrentValue;
        Enqueue(conversationId, new Signal(new Activity
        {
            Type = ActivityTypes.Typing,
            Id = $"{conversationId}|typing-{Guid.NewGuid():N}",
            ChannelId = Schema.Channels.DirectLine,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = bot.BotId, Name = bot.BotName, Role = RoleTypes.Bot },
            Timestamp = timeProvider.GetUtcNow(),
        }, null));
    }

    /// <summary>Another instance replaced the logged activity <paramref name="seq"/>: the stream here, if any, sends the new version.</summary>
    public void Resend(string conversationId, long seq) => Enqueue(conversationId, new Signal(null, null, seq));

    private void Enqueue(string conversationId, Signal signal)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(conversationId, out var session))
            {
                session.Signals.Writer.TryWrite(signal);
            }
        }
    }

    /// <summary>Serves an accepted WebSocket until either side closes it or a newer stream of the conversation takes over.</summary>
    public async Task RunAsync(string conversationId, WebSocket socket, long watermark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var session = new Session();
        Session? previous;
        lock (_gate)
        {
            _sessions.TryGetValue(conversationId, out previous);
            _sessions[conversationId] = session;
        }
        if (previous is not null)
        {
            LogCollision(logger);
            await previous.Collision.CancelAsync().ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Collision.Token);
        // Receiving has its own token: it must outlive the send loop long enough to read the client's close reply.
        using var receiveStop = new CancellationTokenSource();
        var receiving = ReceiveUntilClosedAsync(socket, stop, receiveStop.Token);
        try
        {
            await SendLoopAsync(conversationId, socket, watermark, session, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
            // The client went away mid-send; it reconnects with its watermark and misses nothing.
        }
        finally
        {
            lock (_gate)
            {
                if (_sessions.TryGetValue(conversationId, out var current) && ReferenceEquals(current, session))
                {
                    _sessions.Remove(conversationId);
                }
            }
            await CloseAsync(socket, session.Collision.IsCancellationRequested).ConfigureAwait(false);
            receiveStop.CancelAfter(TimeSpan.FromSeconds(2));
            await receiving.ConfigureAwait(false);
            session.Collision.Dispose();
        }
    }

    private async Task SendLoopAsync(string conversationId, WebSocket socket, long watermark, Session session, CancellationToken cancellationToken)
    {
        watermark = await SendLogAsync(conversationId, socket, watermark, cancellationToken).ConfigureAwait(false);
        var interval = options.CurrentValue.KeepAliveInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool signalled;
            using (var idle = new CancellationTokenSource(interval, timeProvider))
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token))
            {
                try
                {
                    signalled = await session.Signals.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    signalled = false;
                }
            }
            if (!signalled)
            {
                // Idle: a keep-alive, and a look at the log in case another instance appended to it. One read of the
                // record serves both the log's page and the sign-out check (it was read twice per tick per stream).
                var record = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false);
                watermark = await SendLogAsync(conversationId, socket, watermark, long.MaxValue, cancellationToken, record).ConfigureAwait(false);
                if (record is { TokensRevokedAt: not null })
                {
                    // Signed out: what was logged until now (the goodbye) went out above; the stream token dies with the rest.
                    return;
                }
                await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                continue;
            }
            while (session.Signals.Reader.TryRead(out var signal))
            {
                // Signals come in the order things happened, so typing stays between the messages around it. A
                // logged activity is sent from the signal when it is the next one; after a gap (notifications
                // racing, or sequence numbers the bot never sees in the log) the log itself is read, and whatever
                // that already covered is skipped.
                if (signal.Replaced is { } replaced)
                {
                    watermark = await ResendAsync(conversationId, socket, watermark, replaced, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (signal.Activity is null)
                {
                    watermark = await SendLogAsync(conversationId, socket, watermark, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (signal.Seq is { } seq)
                {
                    if (seq <= watermark)
                    {
                        continue;
                    }
                    if (seq > watermark + 1)
                    {
                        watermark = await SendLogAsync(conversationId, socket, watermark, seq - 1, cancellationToken).ConfigureAwait(false);
                    }
                    if (seq == watermark + 1)
                    {
                        watermark = seq;
                        await SendFrameAsync(socket, new ActivitySet { Activities = [signal.Activity], Watermark = Format(watermark) }, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    watermark = await SendLogAsync(conversationId, socket, watermark, long.MaxValue, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await SendFrameAsync(socket, new ActivitySet { Activities = [signal.Activity], Watermark = Format(watermark) }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sends the logged activity <paramref name="seq"/> again, as it now reads (same id), when the client has already
    /// had it; one it has not had yet goes out with the rest of the log instead.
    /// </summary>
    private async Task<long> ResendAsync(string conversationId, WebSocket socket, long watermark, long seq, CancellationToken cancellationToken)
    {
        if (seq > watermark)
        {
            return await SendLogAsync(conversationId, socket, watermark, cancellationToken).ConfigureAwait(false);
        }
        var (activities, _) = await store.ReadSinceAsync(conversationId, seq - 1, seq, cancellationToken).ConfigureAwait(false);
        if (activities.Count > 0)
        {
            await SendFrameAsync(socket, new ActivitySet { Activities = activities, Watermark = Format(watermark) }, cancellationToken).ConfigureAwait(false);
        }
        return watermark;
    }

    private Task<long> SendLogAsync(string conversationId, WebSocket socket, long watermark, CancellationToken cancellationToken) =>
        SendLogAsync(conversationId, socket, watermark, long.MaxValue, cancellationToken);

    /// <summary>
    /// Sends the logged activities after <paramref name="watermark"/> up to <paramref name="upTo"/>, one per frame; returns
    /// the new watermark.
    /// </summary>
    /// <remarks>
    /// One activity per frame, never a batch: DirectLineJS (so Web Chat) turns each frame into an observable that emits
    /// one activity per timer tick and merges it with the frames after it, so a frame of several activities followed at
    /// once by another frame reaches the page interleaved — a replayed [message, …] then a live [reply] came out as
    /// message, reply, … (tests/directline-js restart.test.js, about 1 run in 4–8). A frame of one activity is emitted on
    /// its first tick, in the order the frames arrived. Each frame's watermark is that activity's own, the last one of a
    /// page the page's (which may pass sequence numbers that are not in the log), so a client cut off mid-replay resumes
    /// right after what it has.
    /// </remarks>
    private async Task<long> SendLogAsync(string conversationId, WebSocket socket, long watermark, long upTo, CancellationToken cancellationToken, DirectLineConversationRecord? record = null)
    {
        while (watermark < upTo)
        {
            // The caller's fresh record serves the first page; a later page reads it again (the log may have grown).
            var (entries, next) = record is null
                ? await store.ReadLogSinceAsync(conversationId, watermark, upTo, cancellationToken).ConfigureAwait(false)
                : await store.ReadLogSinceAsync(conversationId, record, watermark, upTo, cancellationToken).ConfigureAwait(false);
            record = null;
            if (next == watermark)
            {
                return watermark;
            }
            for (var i = 0; i < entries.Count; i++)
            {
                var frameWatermark = i == entries.Count - 1 ? next : entries[i].Seq;
                await SendFrameAsync(socket, new ActivitySet { Activities = [entries[i].Activity], Watermark = Format(frameWatermark) }, cancellationToken).ConfigureAwait(false);
            }
            watermark = next;
        }
        return watermark;
    }

    private static Task SendFrameAsync(WebSocket socket, ActivitySet set, CancellationToken cancellationToken) =>
        socket.SendAsync(new ArraySegment<byte>(JsonSerializer.SerializeToUtf8Bytes(set, BotJson.Options)), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    internal static string Format(long watermark) => watermark.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads (and drops) what the client sends — DirectLineJS pings with empty strings — until it closes.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        try
        {
            await closed.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task CloseAsync(WebSocket socket, bool collision)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(collision ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure, collision ? "collision" : null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A second stream opened for the conversation; the first was closed (collision)")]
    private static partial void LogCollision(ILogger logger);
}
