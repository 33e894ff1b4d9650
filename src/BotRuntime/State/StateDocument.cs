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

    // One writer and buffer per thread, reused (issue 22): a save is synchronous from Write to the caller's last look at
    // the bytes, so no other turn can use them meanwhile; a nested Write (none today) would simply make its own.
    [ThreadStatic]
    private static Buffers? _cached;

    private sealed class Buffers
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);
        public Utf8JsonWriter? Writer { get; set; }
    }

    /// <summary>
    /// Writes the document and hands its UTF-8 bytes to <paramref name="use"/> (valid only during that call); a property
    /// in both <paramref name="typed"/> and <paramref name="raw"/> is written from its typed value.
    /// </summary>
    public static TResult Write<TState, TResult>(IReadOnlyDictionary<string, JsonElement> raw, IReadOnlyDictionary<string, object?> typed, TState state,
        Func<ReadOnlySpan<byte>, TState, TResult> use)
    {
        var buffers = _cached ?? new Buffers();
        _cached = null;
        try
        {
            buffers.Buffer.ResetWrittenCount();
            var writer = buffers.Writer ??= new Utf8JsonWriter(buffers.Buffer, WriterOptions);
            writer.Reset(buffers.Buffer);
            WriteObject(writer, raw, typed);
            writer.Flush();
            return use(buffers.Buffer.WrittenSpan, state);
        }
        finally
        {
            // A huge document's buffer is not kept for the life of the thread.
            if (buffers.Buffer.Capacity <= 64 * 1024)
            {
                _cached = buffers;
            }
        }
    }

    /// <summary>The document as UTF-8 (a copy of what <see cref="Write{TState,TResult}"/> hands over).</summary>
    public static byte[] Write(IReadOnlyDictionary<string, JsonElement> raw, IReadOnlyDictionary<string, object?> typed) =>
        Write(raw, typed, 0, static (utf8, _) => utf8.ToArray());

    private static void WriteObject(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> raw, IReadOnlyDictionary<string, object?> typed)
    {
        var names = new List<string>(raw.Count + typed.Count);
        names.AddRange(raw.Keys);
        foreach (var name in typed.Keys)
        {
            if (!raw.ContainsKey(name))
            {
                names.Add(name);
            }
        }
        names.Sort(StringComparer.Ordinal);
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

    /// <summary>The element the store takes, parsed only for a document that changed (a standalone copy of <paramref name="utf8"/>).</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        return JsonElement.ParseValue(ref reader);
    }
}
