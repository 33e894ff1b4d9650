using BotRuntime.State;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What <see cref="MemoryStorage"/> held per row before issue 22's memory work, kept as the baseline of the same-run
/// comparison in <see cref="ConversationFootprintTests"/>: the document as UTF-16 JSON text, the eTag as a string and
/// the expiry as a <see cref="DateTimeOffset"/>, the key in a hash map, a sorted set and an expiry queue that took one
/// more element on every write with an expiry. Only the write path, which is all the comparison needs.
/// </summary>
internal sealed class PreviousMemoryStorage
{
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
    private long _version;

    private sealed record Entry(string Json, string ETag, DateTimeOffset? ExpiresAt);

    public void Write(string key, StoreWrite change)
    {
        var eTag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _items[key] = new Entry(change.Document.GetRawText(), eTag, change.ExpiresAt);
        _keys.Add(key);
        if (change.ExpiresAt is { } expires)
        {
            _expiries.Enqueue(key, expires);
        }
    }
}
