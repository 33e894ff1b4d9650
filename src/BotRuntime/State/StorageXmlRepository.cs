using System.Text.Json.Serialization;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace BotRuntime.State;

/// <summary>
/// The Data Protection key ring kept in the bot's own state store (SQLite file or PostgreSQL), so every instance over
/// the same store, and every restart, reads the same keys: a portal cookie, an antiforgery token or a signed link made
/// by one instance is accepted by another. Keys are documents under <see cref="KeyPrefix"/>, never expiring — Data
/// Protection decides itself when a key is retired, and an expired key must still decrypt what it protected.
/// </summary>
/// <remarks>
/// The interface is synchronous (Data Protection reads the ring rarely, on a cache refresh), so the store is awaited
/// here. Each element gets its own key, created with a create-only write: two instances creating keys at the same
/// moment both keep theirs, which Data Protection resolves by activation date.
/// </remarks>
public sealed class StorageXmlRepository(IStorage storage) : IXmlRepository
{
    /// <summary>Where the keys live in the store. Part of the stored shape: never rename.</summary>
    public const string KeyPrefix = "dataprotection-keys/";

    /// <summary>More keys than a ring ever holds in practice (one new key per 90 days by default).</summary>
    private const int MaxKeys = 10_000;

    internal sealed class KeyDocument
    {
        [JsonPropertyName("xml")]
        public string Xml { get; set; } = "";
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var items = storage.ReadPrefixAsync(KeyPrefix, MaxKeys).GetAwaiter().GetResult();
        var elements = new List<XElement>(items.Count);
        foreach (var (_, item) in items)
        {
            var document = System.Text.Json.JsonSerializer.Deserialize<KeyDocument>(item.Document, StateJson.Options);
            if (!string.IsNullOrEmpty(document?.Xml))
            {
                elements.Add(XElement.Parse(document.Xml));
            }
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var document = new KeyDocument { Xml = element.ToString(SaveOptions.DisableFormatting) };
        // The friendly name is "key-{guid}" for keys; anything else (or a clash) still gets a name of its own.
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        var created = storage.TryCreateAsync(KeyPrefix + name, document).GetAwaiter().GetResult();
        if (created is null)
        {
            storage.TryCreateAsync(KeyPrefix + name + "-" + Guid.NewGuid().ToString("N"), document).GetAwaiter().GetResult();
        }
    }
}
