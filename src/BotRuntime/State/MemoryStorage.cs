using System.Collections.Concurrent;
using System.Text.Json;

namespace BotRuntime.State;

/// <summary>In-process storage for tests and single-instance development; same semantics as the durable stores.</summary>
/// <remarks>
/// <para>Point reads and writes go to a hash map; a sorted set of the keys serves prefix reads as a range (only the keys
/// under the prefix are visited, not every key). Documents are kept as UTF-8 JSON, half the size of the UTF-16 text
/// kept before (issue 22: memory after 10,000 conversations); they are copied in and parsed out outside any lock.</para>
/// <para>No lock for the whole store (issue 22): one lock cost the runtime's turn about half its request time waiting
/// for it at 64 users on 2 cores, mostly behind a holder the OS had descheduled, and a shared concurrent map or key
/// index only moved the wait (into its resize and its own locks). Keys are spread over 64 stripes, each with its own
/// lock, map and expiry queue: a read or write holds only its keys' stripes (taken in stripe order, so a multi-key
/// write cannot deadlock and stays all-or-nothing, eTags checked and entries published under them). The sorted key set
/// is brought up to date from a queue of key creations and deletions (queued under the key's stripe, so in order per
/// key) by the next prefix read or purge, or by a writer that finds the queue long and the set free: no write ever
/// waits for it.</para>
/// </remarks>
public sealed partial class MemoryStorage(TimeProvider timeProvider) : IStorage
{
    private const long Never = long.MaxValue;

    // A power of two (StripesOf keeps a set of stripes in a 64-bit mask). Far more than the threads of a 2-core host,
    // so two turns rarely share one.
    private const int StripeCount = 64;

    /// <summary>Queued key-set changes past which a writer that finds the set free brings it up to date.</summary>
    private const int IndexBacklogLimit = 1024;

    private readonly Stripe[] _stripes = CreateStripes();
    // Guards _keys only. Taken before a stripe (a prefix read checks each key in its stripe), never while holding one.
    private readonly Lock _indexGate = new();
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    // Creations (true) and deletions (false) not yet applied to _keys.
    private readonly ConcurrentQueue<(string Key, bool Added)> _indexChanges = new();
    private int _indexBacklog;
    private long _version;

    /// <summary>How many expired keys a purge removes per hold of a stripe's lock; writes wait for at most one batch.</summary>
    internal const int PurgeBatch = 512;

    /// <summary>For tests: runs in a write after its eTag checks passed and before its entries are published.</summary>
    internal Action? ConditionsChecked { get; set; }

    /// <summary>The expiry queues' length (every element, stale ones too), for the tests that bound it.</summary>
    internal int ScheduledCount => _stripes.Sum(stripe =>
    {
        lock (stripe.Gate)
        {
            return stripe.Expiries.Count;
        }
    });

    /// <summary>The bytes of every stored document (live or not yet purged), for the tests that weigh the store.</summary>
    internal long DocumentBytes => _stripes.Sum(stripe =>
    {
        lock (stripe.Gate)
        {
            return stripe.Items.Values.Sum(entry => (long)entry.Json.Length);
        }
    });

    // The document bytes are never changed after the entry is made (a write makes a new entry), so a reader may
    // parse them outside the lock; only Scheduled changes, under the key's stripe lock. Times are UTC ticks (Never: no
    // expiry), the eTag is the version number, written out only when asked for.
    private sealed class Entry(byte[] json, long version, long expiresAt)
    {
        public byte[] Json { get; } = json;
        public long Version { get; } = version;
        public long ExpiresAt { get; } = expiresAt;
        /// <summary>The due time of this key's counting element in its stripe's expiry queue; 0 when it has none.</summary>
        public long Scheduled { get; set; }
    }

    /// <summary>The keys whose hash falls here: their entries and, soonest first, when they expire.</summary>
    private sealed class Stripe
    {
        public Lock Gate { get; } = new();
        public Dictionary<string, Entry> Items { get; } = new(StringComparer.Ordinal);
        // A key has at most one element that counts (its entry's Scheduled time): a key rewritten every turn with a
        // later expiry (conversation state, 30 days) is not enqueued again each time; when its element comes due while
        // the key still lives, it is moved to the key's current expiry instead.
        public PriorityQueue<string, long> Expiries { get; } = new();
    }

    public MemoryStorage() : this(TimeProvider.System) { }

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = timeProvider.GetUtcNow().UtcTicks;
        List<KeyValuePair<string, Entry>> found = [];
        // Several keys under all their stripes at once, so a multi-key write is seen whole or not at all.
        var stripes = StripesOf(keys);
        Enter(stripes);
        try
        {
            foreach (var key in keys)
            {
                if (_stripes[StripeOf(key)].Items.TryGetValue(key, out var entry) && IsLive(entry, now))
                {
                    found.Add(new(key, entry));
                }
            }
        }
        finally
        {
            Exit(stripes);
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
        // The bytes are copied before any lock; only the eTag checks and the swap need one. A write made with
        // StoreWrite.Of hands over bytes nobody else can change (issue 22): they are kept as they are, not copied.
        var staged = new (string Key, Stripe Stripe, byte[] Json, long ExpiresAt, string? ETag)[changes.Count];
        var stripes = 0UL;
        var index = 0;
        foreach (var (key, change) in changes)
        {
            ValidateKey(key);
            var stripe = StripeOf(key);
            stripes |= 1UL << stripe;
            staged[index++] = (key, _stripes[stripe], change.OwnedUtf8 ?? change.Utf8.ToArray(), change.ExpiresAt?.UtcTicks ?? Never, change.ETag);
        }
        var result = new Dictionary<string, string>(staged.Length, StringComparer.Ordinal);
        var created = 0;
        Enter(stripes);
        try
        {
            foreach (var (key, stripe, _, _, eTag) in staged)
            {
                stripe.Items.TryGetValue(key, out var current);
                var live = current is not null && IsLive(current, now) ? current : null;
                if (!Satisfies(eTag, live))
                {
                    // Only now is the stored eTag written out, for the message.
                    EnsureCondition(key, eTag, live is null ? null : ETagOf(live));
                }
            }
            // Still under the same stripe locks as the checks: nobody can write these keys between the two.
            ConditionsChecked?.Invoke();
            foreach (var (key, stripe, json, expires, _) in staged)
            {
                // Under the key's stripe, so a key's versions only grow; unique across keys, as an eTag must be.
                var entry = new Entry(json, Interlocked.Increment(ref _version), expires);
                if (stripe.Items.TryGetValue(key, out var previous))
                {
                    // The key's element in the queue, if any, carries over to the new entry.
                    entry.Scheduled = previous.Scheduled;
                }
                else
                {
                    _indexChanges.Enqueue((key, true));
                    created++;
                }
                if (expires != Never && (entry.Scheduled == 0 || entry.Scheduled > expires))
                {
                    stripe.Expiries.Enqueue(key, expires);
                    entry.Scheduled = expires;
                }
                stripe.Items[key] = entry;
                result[key] = ETagOf(entry.Version);
            }
        }
        finally
        {
            Exit(stripes);
        }
        NoteIndexChanges(created);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var deleted = 0;
        foreach (var key in keys)
        {
            var stripe = _stripes[StripeOf(key)];
            lock (stripe.Gate)
            {
                // The key's element in the expiry queue stays until it comes due and is then skipped: no entry.
                if (stripe.Items.Remove(key))
                {
                    _indexChanges.Enqueue((key, false));
                    deleted++;
                }
            }
        }
        NoteIndexChanges(deleted);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var now = timeProvider.GetUtcNow().UtcTicks;
        List<KeyValuePair<string, Entry>> found = [];
        lock (_indexGate)
        {
            // Every key created or deleted by a write that returned before this read is in the set after this.
            ApplyIndexChanges();
            foreach (var key in KeysFrom(prefix))
            {
                if (found.Count >= limit || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // Keys are in ordinal order, so the keys under a prefix are contiguous: the first one outside ends them.
                    break;
                }
                var stripe = _stripes[StripeOf(key)];
                lock (stripe.Gate)
                {
                    // A key deleted since the set was brought up to date has no entry: absent.
                    if (stripe.Items.TryGetValue(key, out var entry) && IsLive(entry, now))
                    {
                        found.Add(new(key, entry));
                    }
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

    // A new document over a copy of the bytes: the caller gets an element of its own, never the stored array. Parsed
    // once into a document of its own (a parse into a pooled one and then a clone of it copied the table as well).
    private static StoreItem ToItem(Entry entry)
    {
        var reader = new Utf8JsonReader(entry.Json);
        return new StoreItem(JsonElement.ParseValue(ref reader), ETagOf(entry), entry.ExpiresAt == Never ? null : new DateTimeOffset(entry.ExpiresAt, TimeSpan.Zero));
    }
}
