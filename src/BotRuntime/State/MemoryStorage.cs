using System.Runtime.InteropServices;
using System.Text.Json;

namespace BotRuntime.State;

/// <summary>In-process storage for tests and single-instance development; same semantics as the durable stores.</summary>
/// <remarks>
/// Point reads and writes go to a hash map; a sorted set of the keys serves prefix reads as a range (only the keys
/// under the prefix are visited, not every key). Documents are kept as UTF-8 JSON, half the size of the UTF-16 text
/// kept before (issue 22: memory after 10,000 conversations); they are copied in and parsed out outside the lock.
/// </remarks>
public sealed class MemoryStorage(TimeProvider timeProvider) : IStorage
{
    private const long Never = long.MaxValue;

    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // Expiring keys, soonest first, so a purge visits only what is due instead of every key. A key has at most one
    // element that counts (its entry's Scheduled time): a key rewritten every turn with a later expiry (conversation
    // state, 30 days) is not enqueued again each time, which made the queue grow by one element per turn; when its
    // element comes due while the key still lives, it is moved to the key's current expiry instead.
    private readonly PriorityQueue<string, long> _expiries = new();
    private long _version;

    /// <summary>How many expired keys a purge removes per hold of the lock; turns wait for at most one batch.</summary>
    internal const int PurgeBatch = 512;

    /// <summary>The expiry queue's length (every element, stale ones too), for the tests that bound it.</summary>
    internal int ScheduledCount
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>The bytes of every stored document (live or not yet purged), for the tests that weigh the store.</summary>
    internal long DocumentBytes
    {
        get
        {
            lock (_gate)
            {
                return _items.Values.Sum(entry => (long)entry.Json.Length);
            }
        }
    }

    // The document bytes are never changed after the entry is made (a write makes a new entry), so a reader may
    // parse them outside the lock; only Scheduled changes, under the lock. Times are UTC ticks (Never: no expiry),
    // the eTag is the version number, written out only when asked for.
    private sealed class Entry(byte[] json, long version, long expiresAt)
    {
        public byte[] Json { get; } = json;
        public long Version { get; } = version;
        public long ExpiresAt { get; } = expiresAt;
        /// <summary>The due time of this key's counting element in the expiry queue; 0 when it has none.</summary>
        public long Scheduled { get; set; }
    }

    public MemoryStorage() : this(TimeProvider.System) { }

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = timeProvider.GetUtcNow().UtcTicks;
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
        var now = timeProvider.GetUtcNow().UtcTicks;
        // The bytes are copied before the lock; only the eTag checks and the swap need it.
        var documents = new Dictionary<string, byte[]>(changes.Count, StringComparer.Ordinal);
        foreach (var (key, change) in changes)
        {
            ValidateKey(key);
            documents[key] = JsonMarshal.GetRawUtf8Value(change.Document).ToArray();
        }
        var versions = new Dictionary<string, long>(changes.Count, StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (key, change) in changes)
            {
                _items.TryGetValue(key, out var current);
                var live = current is not null && IsLive(current, now) ? current : null;
                if (!Satisfies(change.ETag, live))
                {
                    // Only now is the stored eTag written out, for the message.
                    EnsureCondition(key, change.ETag, live is null ? null : ETagOf(live));
                }
            }
            foreach (var (key, change) in changes)
            {
                var expires = change.ExpiresAt?.UtcTicks ?? Never;
                var entry = new Entry(documents[key], ++_version, expires);
                if (_items.TryGetValue(key, out var previous))
                {
                    // The key's element in the queue, if any, carries over to the new entry.
                    entry.Scheduled = previous.Scheduled;
                    _items[key] = entry;
                }
                else
                {
                    _items.Add(key, entry);
                    _keys.Add(key);
                }
                if (expires != Never && (entry.Scheduled == 0 || entry.Scheduled > expires))
                {
                    _expiries.Enqueue(key, expires);
                    entry.Scheduled = expires;
                }
                versions[key] = entry.Version;
            }
        }
        var result = new Dictionary<string, string>(versions.Count, StringComparer.Ordinal);
        foreach (var (key, version) in versions)
        {
            result[key] = ETagOf(version);
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
                // The key's element in the expiry queue stays until it comes due and is then skipped: no entry.
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
        var now = timeProvider.GetUtcNow().UtcTicks;
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
        var now = timeProvider.GetUtcNow().UtcTicks;
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
                    if (!_items.TryGetValue(key, out var entry) || entry.Scheduled != due)
                    {
                        // Deleted since, or a stale element (the key was rescheduled earlier and that element counts).
                        continue;
                    }
                    if (!IsLive(entry, now))
                    {
                        _items.Remove(key);
                        _keys.Remove(key);
                        purged++;
                    }
                    else if (entry.ExpiresAt == Never)
                    {
                        // Written again since with no expiry: nothing to schedule.
                        entry.Scheduled = 0;
                    }
                    else
                    {
                        // Written again since with a later expiry: due then.
                        _expiries.Enqueue(key, entry.ExpiresAt);
                        entry.Scheduled = entry.ExpiresAt;
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

    private static bool IsLive(Entry entry, long now) => entry.ExpiresAt > now;

    // EnsureCondition's rule without writing the stored version out as a string (this runs under the lock).
    private static bool Satisfies(string? expected, Entry? live)
    {
        if (expected == StoreWrite.AnyETag)
        {
            return true;
        }
        if (expected is null || live is null)
        {
            return expected is null && live is null;
        }
        Span<char> digits = stackalloc char[20];
        return live.Version.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture)
            && expected.AsSpan().SequenceEqual(digits[..length]);
    }

    private static string ETagOf(Entry entry) => ETagOf(entry.Version);

    private static string ETagOf(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // A new document over a copy of the bytes: the caller gets an element of its own, never the stored array.
    private static StoreItem ToItem(Entry entry)
    {
        using var document = JsonDocument.Parse(entry.Json);
        return new StoreItem(document.RootElement.Clone(), ETagOf(entry), entry.ExpiresAt == Never ? null : new DateTimeOffset(entry.ExpiresAt, TimeSpan.Zero));
    }
}
