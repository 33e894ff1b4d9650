using System.Buffers;
using System.Text.Json;

namespace BotRuntime.State;

/// <summary>
/// Writes a state document for <see cref="BotState"/>'s end-of-turn save in one pass (issue 22): properties read
/// this turn are serialised straight into the writer and the others copied from the JSON they were read as. It used
/// to re-parse every property into a node tree and serialise that tree again, on every turn, only to learn that
/// nothing changed. The bytes are the same as before (same encoder and indentation, ordinal order, nulls written as
/// null), so stored documents keep their shape and an unchanged state still compares as equal text.
/// </summary>
internal static class StateDocument
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = StateJson.Options.Encoder,
        Indented = StateJson.Options.WriteIndented,
        MaxDepth = StateJson.Options.MaxDepth,
    };

    /// <summary>The document as UTF-8; a property in both <paramref name="typed"/> and <paramref name="raw"/> is written from its typed value.</summary>
    public static byte[] Write(IReadOnlyDictionary<string, JsonElement> raw, IReadOnlyDictionary<string, object?> typed)
    {
        var names = new SortedSet<string>(raw.Keys, StringComparer.Ordinal);
        names.UnionWith(typed.Keys);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var name in names)
            {
                writer.WritePropertyName(name);
                if (typed.TryGetValue(name, out var value))
                {
                    if (value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        JsonSerializer.Serialize(writer, value, value.GetType(), StateJson.Options);
                    }
                }
                else
                {
                    raw[name].WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The element the store takes, parsed only for a document that changed.</summary>
    public static JsonElement Parse(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }
}
