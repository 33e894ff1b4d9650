using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BotRuntime.State;

/// <summary>
/// The answers of a turn's reads and writes without a dictionary each (issue 22): a read served from the read-ahead is
/// one key, and a write's answer is the eTags the store made before it queued — a <see cref="Dictionary{TKey, TValue}"/>
/// per answer (object, buckets, entries) was a fifth of what the store allocated per turn.
/// </summary>
public sealed partial class SqliteStorage
{
    /// <summary>Writes of more keys are answered with a dictionary: the answer's lookups scan the keys.</summary>
    internal const int KeysPerScannedAnswer = 8;

    /// <summary>The answer to a read of one key: that key's item, or nothing when it is absent.</summary>
    private sealed class OneItem : IReadOnlyDictionary<string, StoreItem>
    {
        private readonly string _key;
        private readonly StoreItem? _item;

        public OneItem(string key, StoreItem? item)
        {
            _key = key;
            _item = item;
        }

        public StoreItem this[string key] => TryGetValue(key, out var found) ? found : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => _item is null ? [] : [_key];

        public IEnumerable<StoreItem> Values => _item is null ? [] : [_item];

        public int Count => _item is null ? 0 : 1;

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out StoreItem value)
        {
            ArgumentNullException.ThrowIfNull(key);
            value = string.Equals(key, _key, StringComparison.Ordinal) ? _item : null;
            return value is not null;
        }

        public IEnumerator<KeyValuePair<string, StoreItem>> GetEnumerator()
        {
            if (_item is not null)
            {
                yield return new(_key, _item);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A write's answer: each key's new eTag, read from the changes the write was made of.</summary>
    private sealed class WrittenETags(PreparedChange[] changes) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => TryGetValue(key, out var eTag) ? eTag : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => changes.Select(change => change.Key);

        public IEnumerable<string> Values => changes.Select(change => change.ETag);

        public int Count => changes.Length;

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            foreach (var change in changes)
            {
                if (string.Equals(change.Key, key, StringComparison.Ordinal))
                {
                    value = change.ETag;
                    return true;
                }
            }
            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            changes.Select(change => new KeyValuePair<string, string>(change.Key, change.ETag)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The answer to a write of <paramref name="changes"/> (distinct keys, as the caller's dictionary held them).</summary>
    private static IReadOnlyDictionary<string, string> AnswerOf(PreparedChange[] changes) =>
        changes.Length <= KeysPerScannedAnswer
            ? new WrittenETags(changes)
            : changes.ToDictionary(change => change.Key, change => change.ETag, StringComparer.Ordinal);
}
