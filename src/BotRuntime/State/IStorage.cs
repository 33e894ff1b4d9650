using System.Runtime.InteropServices;
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
/// <remarks>
/// A write made with <see cref="Of{T}"/> holds the value serialised once, as UTF-8 bytes that nothing outside can reach or
/// change (only a read-only view, <see cref="Utf8"/>, is handed out): a store may keep them as they are (memory) or send
/// them as they are (SQLite, PostgreSQL), and <see cref="Document"/> is parsed from them only when someone asks for it
/// (issue 22: the element made by <c>SerializeToElement</c> was a second copy of the bytes plus a parsed table, and the
/// memory store then copied the bytes a third time).
/// </remarks>
public sealed record StoreWrite(JsonElement Document, string? ETag, DateTimeOffset? ExpiresAt = null)
{
    public const string AnyETag = "*";

    private readonly byte[]? _utf8;
    // Undefined (default) only for a write made from bytes and not yet parsed. Parsed at most a few times if raced: the
    // elements are equal, and a torn read can only pair the root index of one with the document of another.
    private JsonElement _document = Document;

    private StoreWrite(byte[] utf8, string? eTag, DateTimeOffset? expiresAt) : this(default(JsonElement), eTag, expiresAt) => _utf8 = utf8;

    /// <summary>The document; for a write made with <see cref="Of{T}"/>, parsed from its bytes on first use.</summary>
    public JsonElement Document
    {
        get => _utf8 is null || _document.ValueKind != JsonValueKind.Undefined ? _document : _document = Parse(_utf8);
        init => _document = value;
    }

    /// <summary>The document as UTF-8 JSON: the serialised bytes, or the element's own raw bytes.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8 ?? JsonMarshal.GetRawUtf8Value(Document);

    /// <summary>A write of <paramref name="value"/> serialised with <paramref name="options"/> straight to UTF-8.</summary>
    public static StoreWrite Of<T>(T value, JsonSerializerOptions options, string? eTag, DateTimeOffset? expiresAt = null) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, options), eTag, expiresAt);

    /// <summary>The serialised bytes of a write made with <see cref="Of{T}"/>, for a store that keeps them (never changed by anyone).</summary>
    internal byte[]? OwnedUtf8 => _utf8;

    private static JsonElement Parse(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        return JsonElement.ParseValue(ref reader);
    }
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
