using System.Buffers;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AriaBot.Transcripts;

/// <summary>
/// What a recorded activity showed besides its text ("button: Make a payment", "card: Your plans"), kept as the label
/// and the text apart: the line is written from the pairs without making a string per item (issue 22: a menu reply has
/// 8-15 buttons, and their strings were a fifth of what recording a turn allocated). Read as a list, each item is the
/// same "label: text" string as before.
/// </summary>
internal sealed class ShownItems(int capacity) : IReadOnlyList<string>
{
    // Longer items are written from a rented buffer instead of the stack.
    private const int StackChars = 256;

    private readonly List<(string Label, string? Text)> _items = new(capacity);

    public int Count => _items.Count;

    public string this[int index] => Format(_items[index]);

    public void Add(string label, string? text) => _items.Add((label, text));

    public IEnumerator<string> GetEnumerator()
    {
        foreach (var item in _items)
        {
            yield return Format(item);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes each item as the JSON string <see cref="Format"/> would make, without making it.</summary>
    public void WriteItems(Utf8JsonWriter writer)
    {
        Span<char> stack = stackalloc char[StackChars];
        foreach (var (label, text) in _items)
        {
            var length = label.Length + 2 + (text?.Length ?? 0);
            char[]? rented = null;
            var chars = length <= StackChars ? stack : rented = ArrayPool<char>.Shared.Rent(length);
            label.CopyTo(chars);
            chars[label.Length] = ':';
            chars[label.Length + 1] = ' ';
            text.AsSpan().CopyTo(chars[(label.Length + 2)..]);
            writer.WriteStringValue(chars[..length]);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string Format((string Label, string? Text) item) => $"{item.Label}: {item.Text}";
}

/// <summary>
/// A <see cref="TranscriptEntry"/> on its way to the store: written exactly as the serializer writes the entry with the
/// same options (names by the naming policy, nulls left out when the options say so), but by hand, so that no
/// serializer frames are pushed for the shown items' list and <see cref="ShownItems"/> are written without their
/// strings. <c>TranscriptLineTests</c> pin the bytes against the serializer's. Lines are read back as entries.
/// </summary>
[JsonConverter(typeof(TranscriptLineConverter))]
internal readonly struct TranscriptLine(TranscriptEntry entry)
{
    public TranscriptEntry Entry { get; } = entry;
}

internal sealed class TranscriptLineConverter : JsonConverter<TranscriptLine>
{
    private static readonly string[] Names = ["At", "Role", "Type", "Text", "Name", "Shown"];
    private static readonly JsonEncodedText[] CamelNames = Array.ConvertAll(Names, name => JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(name)));

    public override TranscriptLine Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Transcript lines are read as TranscriptEntry.");

    public override void Write(Utf8JsonWriter writer, TranscriptLine value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var entry = value.Entry ?? throw new ArgumentException("A transcript line needs its entry.", nameof(value));
        var ignoreNull = options.DefaultIgnoreCondition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
        writer.WriteStartObject();
        writer.WritePropertyName(Name(0, options));
        ((JsonConverter<DateTimeOffset>)options.GetConverter(typeof(DateTimeOffset))).Write(writer, entry.At, options);
        WriteText(writer, Name(1, options), entry.Role, ignoreNull);
        WriteText(writer, Name(2, options), entry.Type, ignoreNull);
        WriteText(writer, Name(3, options), entry.Text, ignoreNull);
        WriteText(writer, Name(4, options), entry.Name, ignoreNull);
        if (entry.Shown is { } shown)
        {
            writer.WriteStartArray(Name(5, options));
            if (shown is ShownItems items)
            {
                items.WriteItems(writer);
            }
            else
            {
                foreach (var item in shown)
                {
                    writer.WriteStringValue(item);
                }
            }
            writer.WriteEndArray();
        }
        else if (!ignoreNull)
        {
            writer.WriteNull(Name(5, options));
        }
        writer.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter writer, JsonEncodedText name, string? text, bool ignoreNull)
    {
        if (text is not null)
        {
            writer.WriteString(name, text);
        }
        else if (!ignoreNull)
        {
            writer.WriteNull(name);
        }
    }

    // The stored state's camelCase kept encoded; any other policy as the serializer would apply it.
    private static JsonEncodedText Name(int index, JsonSerializerOptions options) =>
        options.PropertyNamingPolicy == JsonNamingPolicy.CamelCase
            ? CamelNames[index]
            : JsonEncodedText.Encode(options.PropertyNamingPolicy?.ConvertName(Names[index]) ?? Names[index]);
}
