using System.Text.Json;

namespace BotRuntime.State;

/// <summary>A stored document with the eTag that a conditional write must present.</summary>
public sealed record StoreItem(JsonElement Document, string ETag, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// One change for <see cref="IStorage.WriteAsync"/>. The eTag decides the condition:
/// <list type="bullet">
/// <item><c>null</c> — create only if absent (an expired item counts as absent);</item>
/// <item><c>"*"</c> — write whatever is stored;</item>
/// <item>any other value — write only if the stored eTag is exactly that.</item>
/// </list>
/// A null eTag meaning "create" rather than "overwrite" is deliberate: forgetting the eTag can then never
/// silently replace someone else's state.
/// </summary>
public sealed record StoreWrite(JsonElement Document, string? ETag, DateTimeOffset? ExpiresAt = null)
{
    public const string AnyETag = "*";
}

/// <summary>
/// Key/document storage with optimistic concurrency. Every implementation passes the same conformance
/// suite (tests/BotRuntime.Tests/State/StorageConformance.cs).
/// </summary>
public interface IStorage
{
    /// <summary>Reads the keys that exist and have not expired; absent keys are simply missing from the result.</summary>
    Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies all changes or none. When a condition fails, throws <see cref="StorageConflictException"/>
    /// naming the key and writes nothing. Returns the new eTag of each key.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default);

    /// <summary>Deletes the keys; missing keys are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Live items whose key starts with <paramref name="prefix"/>, in ordinal key order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default);

    /// <summary>Removes expired items; returns how many went.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);
}

/// <summary>A conditional write lost: someone else changed (or created) the key first.</summary>
public sealed class StorageConflictException : Exception
{
    public StorageConflictException() { }
    public StorageConflictException(string message) : base(message) { }
    public StorageConflictException(string message, Exception innerException) : base(message, innerException) { }

    public StorageConflictException(string key, string? expectedETag, bool exists)
        : base(expectedETag is null
            ? $"'{key}' already exists; a create-only write cannot replace it."
            : exists ? $"'{key}' was changed by someone else (eTag mismatch)." : $"'{key}' no longer exists (eTag given for an absent item).")
    {
        Key = key;
    }

    public string? Key { get; }
}
