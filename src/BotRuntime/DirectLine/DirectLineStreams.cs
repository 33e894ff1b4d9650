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
/// ActivitySet, and an empty frame as keep-alive when idle. Wake-ups are in-process hints only: every send
/// reads the log from the stream's watermark, and the keep-alive tick reads it too, so another instance's
/// appends reach this stream at the latest one interval later.
/// </summary>
public sealed partial class DirectLineStreams(DirectLineStore store, IOptionsMonitor<DirectLineOptions> options, TimeProvider timeProvider, ILogger<DirectLineStreams> logger)
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Session
    {
        /// <summary>null = "the log grew"; an activity = send it as it is (typing, updates).</summary>
        public Channel<Activity?> Signals { get; } = Channel.CreateUnbounded<Activity?>(new UnboundedChannelOptions { SingleReader = true });
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

    public void Notify(string conversationId) => Signal(conversationId, null);

    public void Push(string conversationId, Activity activity) => Signal(conversationId, activity);

    private void Signal(string conversationId, Activity? activity)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(conversationId, out var session))
            {
                session.Signals.Writer.TryWrite(activity);
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
                // Idle: a keep-alive, and a look at the log in case another instance appended to it.
                watermark = await SendLogAsync(conversationId, socket, watermark, cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                continue;
            }
            while (session.Signals.Reader.TryRead(out var signal))
            {
                // The log first: whatever the bot stored before a typing or an update goes out before it.
                watermark = await SendLogAsync(conversationId, socket, watermark, cancellationToken).ConfigureAwait(false);
                if (signal is not null)
                {
                    await SendFrameAsync(socket, new ActivitySet { Activities = [signal], Watermark = Format(watermark) }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<long> SendLogAsync(string conversationId, WebSocket socket, long watermark, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (activities, next) = await store.ReadSinceAsync(conversationId, watermark, cancellationToken).ConfigureAwait(false);
            if (next == watermark)
            {
                return watermark;
            }
            if (activities.Count > 0)
            {
                await SendFrameAsync(socket, new ActivitySet { Activities = activities, Watermark = Format(next) }, cancellationToken).ConfigureAwait(false);
            }
            watermark = next;
        }
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
