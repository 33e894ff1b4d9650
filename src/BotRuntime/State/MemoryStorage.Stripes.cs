using System.Numerics;

namespace BotRuntime.State;

public sealed partial class MemoryStorage
{
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        var purged = 0;
        foreach (var stripe in _stripes)
        {
            while (true)
            {
                var (removed, more) = PurgeBatchOf(stripe, now);
                NoteIndexChanges(removed);
                purged += removed;
                if (!more)
                {
                    break;
                }
                // Let waiting turns in between batches.
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        lock (_indexGate)
        {
            ApplyIndexChanges();
        }
        return purged;
    }

    /// <summary>
    /// Takes up to <see cref="PurgeBatch"/> due elements off the stripe's queue in one hold of its lock: a key that
    /// expired goes; a key written again since is moved to its current expiry (or none). Returns how many keys went and
    /// whether more are due.
    /// </summary>
    private (int Removed, bool More) PurgeBatchOf(Stripe stripe, long now)
    {
        var removed = 0;
        var batch = 0;
        lock (stripe.Gate)
        {
            while (stripe.Expiries.TryPeek(out var key, out var due) && due <= now)
            {
                if (batch == PurgeBatch)
                {
                    return (removed, true);
                }
                stripe.Expiries.Dequeue();
                batch++;
                if (!stripe.Items.TryGetValue(key, out var entry) || entry.Scheduled != due)
                {
                    // Deleted since, or a stale element (the key was rescheduled earlier and that element counts).
                    continue;
                }
                if (!IsLive(entry, now))
                {
                    stripe.Items.Remove(key);
                    _indexChanges.Enqueue((key, false));
                    removed++;
                }
                else if (entry.ExpiresAt == Never)
                {
                    // Written again since with no expiry: nothing to schedule.
                    entry.Scheduled = 0;
                }
                else
                {
                    // Written again since with a later expiry: due then.
                    stripe.Expiries.Enqueue(key, entry.ExpiresAt);
                    entry.Scheduled = entry.ExpiresAt;
                }
            }
        }
        return (removed, false);
    }

    /// <summary>
    /// Counts key-set changes just queued; past <see cref="IndexBacklogLimit"/>, applies them if nobody holds the set
    /// (a prefix read or another writer doing it already is as good), so the queue stays bounded without prefix reads.
    /// </summary>
    private void NoteIndexChanges(int count)
    {
        if (count == 0 || Interlocked.Add(ref _indexBacklog, count) < IndexBacklogLimit || !_indexGate.TryEnter())
        {
            return;
        }
        try
        {
            ApplyIndexChanges();
        }
        finally
        {
            _indexGate.Exit();
        }
    }

    /// <summary>Applies the queued creations and deletions to the key set, in queue order (per key, the order of its writes). Under _indexGate.</summary>
    private void ApplyIndexChanges()
    {
        var applied = 0;
        while (_indexChanges.TryDequeue(out var change))
        {
            if (change.Added)
            {
                _keys.Add(change.Key);
            }
            else
            {
                _keys.Remove(change.Key);
            }
            applied++;
        }
        Interlocked.Add(ref _indexBacklog, -applied);
    }

    private static Stripe[] CreateStripes()
    {
        var stripes = new Stripe[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Stripe();
        }
        return stripes;
    }

    private static int StripeOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) & (StripeCount - 1));

    // The stripes of some keys as a bit set (StripeCount is 64), which also gives the one order they are taken in.
    private static ulong StripesOf(IEnumerable<string> keys)
    {
        var stripes = 0UL;
        foreach (var key in keys)
        {
            stripes |= 1UL << StripeOf(key);
        }
        return stripes;
    }

    private void Enter(ulong stripes)
    {
        for (var left = stripes; left != 0; left &= left - 1)
        {
            _stripes[BitOperations.TrailingZeroCount(left)].Gate.Enter();
        }
    }

    private void Exit(ulong stripes)
    {
        for (var left = stripes; left != 0; left &= left - 1)
        {
            _stripes[BitOperations.TrailingZeroCount(left)].Gate.Exit();
        }
    }
}
