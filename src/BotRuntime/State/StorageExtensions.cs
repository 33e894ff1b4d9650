using System.Text.Json;

namespace BotRuntime.State;

/// <summary>A typed value read from storage together with the eTag to write it back with.</summary>
public sealed record Stored<T>(T Value, string ETag);

/// <summary>Typed, single-key conveniences over <see cref="IStorage"/>.</summary>
public static class StorageExtensions
{
    public static async Task<Stored<T>?> ReadAsync<T>(this IStorage storage, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var items = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        if (!items.TryGetValue(key, out var item))
        {
            return null;
        }
        var value = item.Document.Deserialize<T>(StateJson.Options)
            ?? throw new InvalidOperationException($"'{key}' holds null where a {typeof(T).Name} was expected.");
        return new Stored<T>(value, item.ETag);
    }

    /// <summary>Writes one value under the eTag rules of <see cref="StoreWrite"/>; returns the new eTag.</summary>
    public static async Task<string> WriteAsync<T>(this IStorage storage, string key, T value, string? eTag, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var document = JsonSerializer.SerializeToElement(value, StateJson.Options);
        var written = await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(document, eTag, expiresAt) }, cancellationToken).ConfigureAwait(false);
        return written[key];
    }

    /// <summary>Creates the key if it is absent; false (and nothing written) when it already exists.</summary>
    public static async Task<string?> TryCreateAsync<T>(this IStorage storage, string key, T value, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await storage.WriteAsync(key, value, eTag: null, expiresAt, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return null;
        }
    }

    public static Task DeleteAsync(this IStorage storage, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.DeleteAsync([key], cancellationToken);
    }
}
