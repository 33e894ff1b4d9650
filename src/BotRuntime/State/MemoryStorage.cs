using System.Text.Json;

namespace BotRuntime.State;

/// <summary>In-process storage for tests and single-instance development; same semantics as the durable stores.</summary>
/// <remarks>
/// Point reads and writes go to a hash map; a sorted set of the keys serves prefix reads as a range (only the keys
/// under the prefix are visited, not every key). JSON is parsed outside the lock: the entries are immutable.
/// </remarks>
public sealed class MemoryStorage(TimeProvider timeProvider) : IStorage
{
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // Every write with an expiry schedules the key here, soonest first, so a purge visits only what is due instead
    // of every key; an entry made stale by a later write of the key is recognised by its time and skipped.
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
    private long _version;

    /// <summary>How many expired keys a purge removes per hold of the lock; turns wait for at most one batch.</summary>
    internal const int PurgeBatch = 512;

    // Documents are kept as JSON text so a caller can never mutate what is stored through a shared reference.
    private sealed record Entry(string Json, string ETag, DateTimeOffset? ExpiresAt);

    public MemoryStorage() : this(TimeProvider.System) { }

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = timeProvider.GetUtcNow();
        List<KeyValuePair<string, Entry>> found = [];
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var entry) && IsLive(entry, now))
                {
                    found.Add(new(key, entry));
                }
            }
        }
        var result = new Dictionary<string, StoreItem>(found.Count, StringComparer.Ordinal);
        foreach (var (key, entry) in found)
        {
            result[key] = ToItem(entry);
        }
        return Task.FromResult<IReadOnlyDictionary<string, StoreItem>>(result);
    }

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var now = timeProvider.GetUtcNow();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        // The text is taken before the lock; only the eTag checks and the swap need it.
        var texts = changes.ToDictionary(change => change.Key, change => change.Value.Document.GetRawText(), StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (key, change) in changes)
            {
                ValidateKey(key);
                _items.TryGetValue(key, out var current);
                var live = current is not null && IsLive(current, now) ? current : null;
                EnsureCondition(key, change.ETag, live?.ETag);
            }
            foreach (var (key, change) in changes)
            {
                var eTag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
                _items[key] = new Entry(texts[key], eTag, change.ExpiresAt);
                _keys.Add(key);
                if (change.ExpiresAt is { } expires)
                {
                    _expiries.Enqueue(key, expires);
                }
                result[key] = eTag;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_items.Remove(key))
                {
                    _keys.Remove(key);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var now = timeProvider.GetUtcNow();
        List<KeyValuePair<string, Entry>> found = [];
        lock (_gate)
        {
            foreach (var key in KeysFrom(prefix))
            {
                if (found.Count >= limit || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // Keys are in ordinal order, so the keys under a prefix are contiguous: the first one outside ends them.
                    break;
                }
                var entry = _items[key];
                if (IsLive(entry, now))
                {
                    found.Add(new(key, entry));
                }
            }
        }
        return Task.FromResult<IReadOnlyList<KeyValuePair<string, StoreItem>>>([.. found.Select(pair => new KeyValuePair<string, StoreItem>(pair.Key, ToItem(pair.Value)))]);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var purged = 0;
        while (true)
        {
            var batch = 0;
            var more = false;
            lock (_gate)
            {
                while (_expiries.TryPeek(out var key, out var due) && due <= now)
                {
                    if (batch == PurgeBatch)
                    {
                        more = true;
                        break;
                    }
                    _expiries.Dequeue();
                    batch++;
                    // Only if the stored entry is the one scheduled (or another that is also expired): a key written
                    // again since, with a later expiry or none, stays.
                    if (_items.TryGetValue(key, out var entry) && !IsLive(entry, now))
                    {
                        _items.Remove(key);
                        _keys.Remove(key);
                        purged++;
                    }
                }
            }
            if (!more)
            {
                return purged;
            }
            // Let waiting turns in between batches.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // The keys from the prefix on, bounded above so the view (which counts its members when the set has changed)
    // covers only the prefix's range; the bound itself may be in the view and is cut off by the caller's StartsWith.
    private IEnumerable<string> KeysFrom(string prefix)
    {
        if (_keys.Count == 0 || StringComparer.Ordinal.Compare(prefix, _keys.Max) > 0)
        {
            return [];
        }
        return prefix.Length == 0 ? _keys : _keys.GetViewBetween(prefix, KeyRange.UpperBound(prefix) ?? _keys.Max!);
    }

    internal static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A storage key must not be empty.", nameof(key));
        }
    }

    internal static void EnsureCondition(string key, string? expected, string? actual)
    {
        var ok = expected switch
        {
            StoreWrite.AnyETag => true,
            null => actual is null,
            _ => string.Equals(expected, actual, StringComparison.Ordinal),
        };
        if (!ok)
        {
            throw new StorageConflictException(key, expected, actual is not null);
        }
    }

    private static bool IsLive(Entry entry, DateTimeOffset now) => entry.ExpiresAt is not { } expires || expires > now;

    private static StoreItem ToItem(Entry entry)
    {
        using var document = JsonDocument.Parse(entry.Json);
        return new StoreItem(document.RootElement.Clone(), entry.ETag, entry.ExpiresAt);
    }
}
