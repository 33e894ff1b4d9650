using System.Numerics;

namespace BotRuntime.State;

public sealed partial class MemoryStorage
{
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        var purged = 0;
        var due = new List<(string Key, long Due)>();
        while (true)
        {
            due.Clear();
            lock (_indexGate)
            {
                while (due.Count < PurgeBatch && _expiries.TryPeek(out var key, out var at) && at <= now)
                {
                    _expiries.Dequeue();
                    due.Add((key, at));
                }
            }
            foreach (var (key, at) in due)
            {
                purged += Settle(key, at, now) ? 1 : 0;
            }
            if (due.Count < PurgeBatch)
            {
                return purged;
            }
            // Let waiting writes in between batches.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// A key's element came due (taken off the queue): removes the key when it expired, or moves its element to its
    /// current expiry when it was written again since. True when it was removed. Under the key's stripe, so a write to
    /// the key after the element was taken off is seen: it carried <paramref name="due"/> over as its Scheduled time.
    /// </summary>
    private bool Settle(string key, long due, long now)
    {
        lock (_stripes[StripeOf(key)])
        {
            if (!_items.TryGetValue(key, out var entry) || entry.Scheduled != due)
            {
                // Deleted since, or a stale element (the key was rescheduled earlier and that element counts).
                return false;
            }
            if (!IsLive(entry, now))
            {
                _items.TryRemove(key, out _);
                lock (_indexGate)
                {
                    _keys.Remove(key);
                }
                return true;
            }
            if (entry.ExpiresAt == Never)
            {
                // Written again since with no expiry: nothing to schedule.
                entry.Scheduled = 0;
                return false;
            }
            // Written again since with a later expiry: due then.
            lock (_indexGate)
            {
                _expiries.Enqueue(key, entry.ExpiresAt);
            }
            entry.Scheduled = entry.ExpiresAt;
            return false;
        }
    }

    private static Lock[] CreateStripes()
    {
        var stripes = new Lock[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Lock();
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
            _stripes[BitOperations.TrailingZeroCount(left)].Enter();
        }
    }

    private void Exit(ulong stripes)
    {
        for (var left = stripes; left != 0; left &= left - 1)
        {
            _stripes[BitOperations.TrailingZeroCount(left)].Exit();
        }
    }
}
