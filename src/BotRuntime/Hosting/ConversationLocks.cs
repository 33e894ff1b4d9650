namespace BotRuntime.Hosting;

/// <summary>One turn at a time per conversation inside this process; other processes are kept honest by eTags.</summary>
public sealed class ConversationLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int Users { get; set; }
    }

    /// <summary>Waits for the conversation's turn; null when <paramref name="timeout"/> passed first.</summary>
    public async Task<IDisposable?> TryAcquireAsync(string conversationKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(conversationKey, out entry!))
            {
                entry = new Entry();
                _entries[conversationKey] = entry;
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
        return acquired ? new Lease(this, conversationKey, entry) : null;
    }

    /// <summary>How many conversations have a turn running or waiting (for tests and metrics).</summary>
    public int ActiveConversations
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    private void Release(string key, Entry entry, bool holdsSemaphore)
    {
        if (holdsSemaphore)
        {
            entry.Semaphore.Release();
        }
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Lease(ConversationLocks owner, string key, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(key, entry, holdsSemaphore: true);
            }
        }
    }
}
