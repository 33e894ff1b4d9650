using BotRuntime.State;
using BotRuntime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>
/// One turn at a time per conversation. Inside this process a semaphore per conversation; when the store shares
/// leases across instances (<see cref="IConversationLeases"/>: PostgreSQL), also the conversation's lease row, whose
/// fencing token the turn's writes carry (<see cref="TurnFence"/>), renewed while the turn runs. Without one (memory,
/// SQLite: one process owns the store) the semaphore is all there is.
/// </summary>
public sealed partial class ConversationLocks
{
    // Striped by the key's hash (issue 22): with one lock and one dictionary, every turn of every conversation queued on
    // the same lock twice per turn. A conversation's key always maps to the same stripe, so its entry is still found and
    // removed under one lock.
    private const int StripeCount = 32;
    private readonly Stripe[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new Stripe()).ToArray();
    private readonly IConversationLeases? _leases;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    // Names the holder in the lease row, for whoever looks at the table; the token, not this, is what is checked.
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>In-process only (tests, and stores without shared leases).</summary>
    public ConversationLocks()
    {
        _leaseDuration = TimeSpan.FromSeconds(15);
        _timeProvider = TimeProvider.System;
        _logger = NullLogger.Instance;
    }

    /// <summary>Shares the store's leases when it has them (PostgreSQL); the lease lasts <see cref="BotOptions.InstanceLease"/>, renewed thrice per period.</summary>
    public ConversationLocks(IStorage storage, IOptions<BotOptions> options, TimeProvider timeProvider, ILogger<ConversationLocks> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _leases = (storage as InstrumentedStorage)?.Inner as IConversationLeases ?? storage as IConversationLeases;
        _leaseDuration = options.Value.InstanceLease;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>True when turns are serialised across instances by lease rows, not only inside this process.</summary>
    public bool SharesLeases => _leases is not null;

    private sealed class Stripe
    {
        public Lock Gate { get; } = new();
        public Dictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);
    }

    private Stripe StripeOf(string conversationKey) => _stripes[(uint)StringComparer.Ordinal.GetHashCode(conversationKey) % StripeCount];

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int Users { get; set; }
    }

    /// <summary>Waits for the conversation's turn; null when <paramref name="timeout"/> passed first.</summary>
    public Task<TurnLease?> TryAcquireAsync(string conversationKey, TimeSpan timeout, CancellationToken cancellationToken) =>
        TryAcquireAsync(conversationKey, timeout, start: null, cancellationToken);

    /// <summary>
    /// Waits for the conversation's turn; null when <paramref name="timeout"/> passed first. With shared leases,
    /// <paramref name="start"/> (asked anew for each try, so its times are current) is written and read together with
    /// the lease (<see cref="IConversationLeases.TryStartTurnAsync"/>); the outcome is <see cref="TurnLease.Start"/>.
    /// In-process only, <paramref name="start"/> is never asked and the caller writes and reads as usual.
    /// </summary>
    public async Task<TurnLease?> TryAcquireAsync(string conversationKey, TimeSpan timeout, Func<TurnStart>? start, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + timeout;
        var waitStarted = _timeProvider.GetTimestamp();
        Entry entry;
        var stripe = StripeOf(conversationKey);
        lock (stripe.Gate)
        {
            if (!stripe.Entries.TryGetValue(conversationKey, out entry!))
            {
                entry = new Entry();
                stripe.Entries[conversationKey] = entry;
            }
            entry.Users++;
        }
        var acquired = false;
        try
        {
            acquired = await entry.Semaphore.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!acquired)
            {
                Release(conversationKey, entry, holdsSemaphore: false);
            }
        }
        if (!acquired)
        {
            return null;
        }
        if (_leases is null)
        {
            return new TurnLease(this, conversationKey, entry, fence: null) { Waited = _timeProvider.GetElapsedTime(waitStarted) };
        }
        try
        {
            var started = await WaitForLeaseAsync(conversationKey, deadline, start, cancellationToken).ConfigureAwait(false);
            if (started is null)
            {
                Release(conversationKey, entry, holdsSemaphore: true);
                return null;
            }
            var lease = new TurnLease(this, conversationKey, entry, new TurnFence(conversationKey, started.Token, ConfirmAsync))
            {
                Waited = _timeProvider.GetElapsedTime(waitStarted),
                Start = start is null ? null : started,
            };
            lease.StartRenewing(RenewLoopAsync);
            return lease;
        }
        catch
        {
            Release(conversationKey, entry, holdsSemaphore: true);
            throw;
        }
    }

    /// <summary>Polls the lease row until it is free or the deadline passes: another instance's turn is short, and a crashed one's lease runs out.</summary>
    private async Task<LeaseStart?> WaitForLeaseAsync(string conversationKey, DateTimeOffset deadline, Func<TurnStart>? start, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var taken = start is null
                ? await _leases!.TryAcquireAsync(conversationKey, _holder, _leaseDuration, cancellationToken).ConfigureAwait(false) is { } token ? new LeaseStart(token, null, null) : null
                : await _leases!.TryStartTurnAsync(conversationKey, _holder, _leaseDuration, start(), cancellationToken).ConfigureAwait(false);
            if (taken is not null)
            {
                return taken;
            }
            var left = deadline - _timeProvider.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            await Task.Delay(pause < left ? pause : left, _timeProvider, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }

    /// <summary>One round trip: still ours under this token (and now extended), or lost.</summary>
    private Task<bool> ConfirmAsync(TurnFence fence, CancellationToken cancellationToken) =>
        _leases!.RenewAsync(fence.ConversationKey, fence.Token, _leaseDuration, cancellationToken);

    private async Task RenewLoopAsync(TurnFence fence, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_leaseDuration / 3, _timeProvider, stop).ConfigureAwait(false);
                if (!fence.IsActive)
                {
                    return; // given back with the turn's closing write, or the turn is over
                }
                if (!await _leases!.RenewAsync(fence.ConversationKey, fence.Token, _leaseDuration, stop).ConfigureAwait(false) && !fence.Released)
                {
                    // Expired before it could be renewed (a stall, a store outage): the fence now refuses this turn's writes.
                    LogLeaseLost(_logger);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed renewal is not yet a lost lease; the next try may succeed before it runs out.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRenewFailed(_logger, exception);
            }
        }
    }

    private async Task ReleaseLeaseAsync(TurnFence fence)
    {
        try
        {
            await _leases!.ReleaseAsync(fence.ConversationKey, fence.Token, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Not released now, it simply runs out after one lease period.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReleaseFailed(_logger, exception);
        }
    }

    /// <summary>How many conversations have a turn running or waiting (for tests and metrics).</summary>
    public int ActiveConversations
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe.Gate)
                {
                    count += stripe.Entries.Count;
                }
            }
            return count;
        }
    }

    /// <summary>How many turns of the conversation hold or wait for it in this process (tests).</summary>
    internal int HoldersAndWaiters(string conversationKey)
    {
        var stripe = StripeOf(conversationKey);
        lock (stripe.Gate)
        {
            return stripe.Entries.TryGetValue(conversationKey, out var entry) ? entry.Users : 0;
        }
    }

    private void Release(string key, Entry entry, bool holdsSemaphore)
    {
        if (holdsSemaphore)
        {
            entry.Semaphore.Release();
        }
        var stripe = StripeOf(key);
        lock (stripe.Gate)
        {
            if (--entry.Users == 0)
            {
                stripe.Entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    /// <summary>A held turn of one conversation. Dispose it (asynchronously, to give a shared lease back at once) when the turn ends.</summary>
    public sealed class TurnLease : IDisposable, IAsyncDisposable
    {
        private readonly ConversationLocks _owner;
        private readonly string _key;
        private readonly Entry _entry;
        // Only a shared lease is renewed: in-process turns (memory, SQLite) never make one.
        private CancellationTokenSource? _stopRenewing;
        private Task _renewing = Task.CompletedTask;
        private int _disposed;

        internal TurnLease(ConversationLocks owner, string key, Entry entry, TurnFence? fence)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
            Fence = fence;
        }

        /// <summary>The fencing token the turn's writes must carry; null when leases are in-process only.</summary>
        public TurnFence? Fence { get; }

        /// <summary>How long the turn waited for the conversation (this process's queue, then the lease row).</summary>
        public TimeSpan Waited { get; init; }

        /// <summary>What was claimed and read with the lease, when a start was asked for and leases are shared; else null.</summary>
        public LeaseStart? Start { get; init; }

        /// <summary>
        /// Makes this the lease of the turn on the caller's asynchronous flow: its writes carry the fence, its first read
        /// of what was read with the lease is served from that (<see cref="TurnReadAhead"/>), and the turn's span records the wait (<see cref="BotTelemetry.EnterLeaseWait"/>). Not async on purpose: what it sets must
        /// stay set for the caller, which an async method would undo on return.
        /// </summary>
        public void EnterTurn()
        {
            TurnFence.Enter(Fence);
            TurnReadAhead.Enter(Start?.ReadAhead);
            BotTelemetry.EnterLeaseWait(Waited);
        }

        internal void StartRenewing(Func<TurnFence, CancellationToken, Task> loop)
        {
            _stopRenewing = new CancellationTokenSource();
            _renewing = loop(Fence!, _stopRenewing.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            Fence?.End();
            Start?.ReadAhead?.Clear();
            if (_stopRenewing is not null)
            {
                await _stopRenewing.CancelAsync().ConfigureAwait(false);
                await _renewing.ConfigureAwait(false);
                _stopRenewing.Dispose();
            }
            try
            {
                // Given back already when the turn's closing write released it (TurnFence.ReleasingWith).
                if (Fence is { Released: false })
                {
                    await _owner.ReleaseLeaseAsync(Fence).ConfigureAwait(false);
                }
            }
            finally
            {
                _owner.Release(_key, _entry, holdsSemaphore: true);
            }
        }

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This turn's conversation lease ran out before it could be renewed; its remaining writes will be refused")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a conversation lease failed; trying again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing a conversation lease failed; it runs out on its own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
