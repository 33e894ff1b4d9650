using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BotRuntime.State;

/// <summary>In-process storage for tests and single-instance development; same semantics as the durable stores.</summary>
/// <remarks>
/// <para>Point reads and writes go to a hash map; a sorted set of the keys serves prefix reads as a range (only the keys
/// under the prefix are visited, not every key). Documents are kept as UTF-8 JSON, half the size of the UTF-16 text
/// kept before (issue 22: memory after 10,000 conversations); they are copied in and parsed out outside any lock.</para>
/// <para>No single lock (issue 22): one lock for the whole store cost the runtime's turn 19-55 % of its request time
/// waiting for it at 64 users on 2 cores, mostly behind a holder the OS had descheduled. Now a write holds only the
/// locks of its keys' stripes (taken in stripe order, so multi-key writes cannot deadlock and stay all-or-nothing),
/// which is where the eTag is checked and the new entry published; a single-key read takes no lock at all (entries are
/// immutable, published whole through a concurrent map). The sorted key set and the expiry queue keep a lock of their
/// own, taken only when a key is created or deleted or its expiry must be queued — always after a stripe lock, never
/// before one.</para>
/// </remarks>
public sealed partial class MemoryStorage(TimeProvider timeProvider) : IStorage
{
    private const long Never = long.MaxValue;

    // A power of two. 64 is far more than the threads of a 2-core host, so two turns rarely share one; each is an
    // empty Lock (a few words).
    private const int StripeCount = 64;

    private readonly ConcurrentDictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly Lock[] _stripes = CreateStripes();
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    // Guards _keys and _expiries. Lock order: a key's stripe first, then this; never the other way round.
    private readonly Lock _indexGate = new();
    // Expiring keys, soonest first, so a purge visits only what is due instead of every key. A key has at most one
    // element that counts (its entry's Scheduled time): a key rewritten every turn with a later expiry (conversation
    // state, 30 days) is not enqueued again each time, which made the queue grow by one element per turn; when its
    // element comes due while the key still lives, it is moved to the key's current expiry instead.
    private readonly PriorityQueue<string, long> _expiries = new();
    private long _version;

    /// <summary>How many expired keys a purge takes from the expiry queue per hold of its lock; writes wait for at most one batch.</summary>
    internal const int PurgeBatch = 512;

    /// <summary>The expiry queue's length (every element, stale ones too), for the tests that bound it.</summary>
    internal int ScheduledCount
    {
        get
        {
            lock (_indexGate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>The bytes of every stored document (live or not yet purged), for the tests that weigh the store.</summary>
    internal long DocumentBytes => _items.Values.Sum(entry => (long)entry.Json.Length);

    // The document bytes are never changed after the entry is made (a write makes a new entry), so a reader may
    // parse them without a lock; only Scheduled changes, under the key's stripe lock. Times are UTC ticks (Never: no
    // expiry), the eTag is the version number, written out only when asked for.
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
        var result = new Dictionary<string, StoreItem>(keys.Count, StringComparer.Ordinal);
        if (keys.Count <= 1)
        {
            // One key: no lock; the entry read is whole, whichever write it came from.
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var entry) && IsLive(entry, now))
                {
                    result[key] = ToItem(entry);
                }
            }
            return Task.FromResult<IReadOnlyDictionary<string, StoreItem>>(result);
        }
        // Several keys: under their stripes, so a multi-key write is seen whole or not at all, as on the durable stores.
        List<KeyValuePair<string, Entry>> found = [];
        var stripes = StripesOf(keys);
        Enter(stripes);
        try
        {
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var entry) && IsLive(entry, now))
                {
                    found.Add(new(key, entry));
                }
            }
        }
        finally
        {
            Exit(stripes);
        }
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
        // The bytes are copied before any lock; only the eTag checks and the swap need one.
        var staged = new (string Key, byte[] Json, long ExpiresAt, string? ETag)[changes.Count];
        var index = 0;
        foreach (var (key, change) in changes)
        {
            ValidateKey(key);
            staged[index++] = (key, JsonMarshal.GetRawUtf8Value(change.Document).ToArray(), change.ExpiresAt?.UtcTicks ?? Never, change.ETag);
        }
        var result = new Dictionary<string, string>(staged.Length, StringComparer.Ordinal);
        var stripes = StripesOf(changes.Keys);
        Enter(stripes);
        try
        {
            foreach (var (key, _, _, eTag) in staged)
            {
                _items.TryGetValue(key, out var current);
                var live = current is not null && IsLive(current, now) ? current : null;
                if (!Satisfies(eTag, live))
                {
                    // Only now is the stored eTag written out, for the message.
                    EnsureCondition(key, eTag, live is null ? null : ETagOf(live));
                }
            }
            List<string>? created = null;
            List<(string Key, long Due)>? scheduled = null;
            foreach (var (key, json, expires, _) in staged)
            {
                // Under the key's stripe, so a key's versions only grow; unique across keys, as an eTag must be.
                var entry = new Entry(json, Interlocked.Increment(ref _version), expires);
                if (_items.TryGetValue(key, out var previous))
                {
                    // The key's element in the queue, if any, carries over to the new entry.
                    entry.Scheduled = previous.Scheduled;
                }
                else
                {
                    (created ??= []).Add(key);
                }
                if (expires != Never && (entry.Scheduled == 0 || entry.Scheduled > expires))
                {
                    (scheduled ??= []).Add((key, expires));
                    entry.Scheduled = expires;
                }
                _items[key] = entry;
                result[key] = ETagOf(entry.Version);
            }
            if (created is not null || scheduled is not null)
            {
                lock (_indexGate)
                {
                    created?.ForEach(key => _keys.Add(key));
                    scheduled?.ForEach(item => _expiries.Enqueue(item.Key, item.Due));
                }
            }
        }
        finally
        {
            Exit(stripes);
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            var stripe = _stripes[StripeOf(key)];
            lock (stripe)
            {
                // The key's element in the expiry queue stays until it comes due and is then skipped: no entry.
                if (_items.TryRemove(key, out _))
                {
                    lock (_indexGate)
                    {
                        _keys.Remove(key);
                    }
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
        lock (_indexGate)
        {
            foreach (var key in KeysFrom(prefix))
            {
                if (found.Count >= limit || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // Keys are in ordinal order, so the keys under a prefix are contiguous: the first one outside ends them.
                    break;
                }
                // A key being deleted may still be in the set for a moment with no entry: absent, as it is about to be.
                if (_items.TryGetValue(key, out var entry) && IsLive(entry, now))
                {
                    found.Add(new(key, entry));
                }
            }
        }
        return Task.FromResult<IReadOnlyList<KeyValuePair<string, StoreItem>>>([.. found.Select(pair => new KeyValuePair<string, StoreItem>(pair.Key, ToItem(pair.Value)))]);
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

    // EnsureCondition's rule without writing the stored version out as a string (this runs under the stripe lock).
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
