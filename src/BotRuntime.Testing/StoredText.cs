using System.Text;
using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;

namespace BotRuntime.Testing;

/// <summary>
/// Everything a store holds, as text a privacy test can search for a typed secret. A row's raw JSON is not enough: a
/// delivery record keeps a large reply body Brotli-compressed under <c>packedBody</c> (<see cref="DeliveryBody"/>), and
/// a secret echoed into such a body would be invisible to a plain text search. Each row's text is its JSON followed by
/// every packed body in it, unpacked.
/// </summary>
public static class StoredText
{
    /// <summary>The name a packed body is stored under, wherever it appears in a document.</summary>
    public const string PackedBodyProperty = "packedBody";

    /// <summary>Every live row under <paramref name="prefix"/> as (key, text), packed bodies unpacked.</summary>
    public static async Task<IReadOnlyList<(string Key, string Text)>> RowsAsync(IStorage storage, string prefix = "", int limit = 100_000)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var rows = await storage.ReadPrefixAsync(prefix, limit).ConfigureAwait(false);
        return [.. rows.Select(row => (row.Key, Of(row.Value.Document)))];
    }

    /// <summary>Every live row under <paramref name="prefix"/>, one <c>key=text</c> line each, packed bodies unpacked.</summary>
    public static async Task<string> AllAsync(IStorage storage, string prefix = "", int limit = 100_000) =>
        string.Join('\n', (await RowsAsync(storage, prefix, limit).ConfigureAwait(false)).Select(row => row.Key + "=" + row.Text));

    /// <summary>A document's raw JSON, followed by each packed body found in it (at any depth), unpacked.</summary>
    public static string Of(JsonElement document)
    {
        var text = new StringBuilder(document.GetRawText());
        foreach (var packed in PackedBodies(document))
        {
            // A body that does not unpack is a broken record: the scan fails loudly rather than skip what it cannot read.
            text.Append('\n').Append(DeliveryBody.Unpack(null, packed)!.Value.GetRawText());
        }
        return text.ToString();
    }

    private static IEnumerable<string> PackedBodies(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals(PackedBodyProperty) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    foreach (var inner in PackedBodies(property.Value))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in PackedBodies(item))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }
}
