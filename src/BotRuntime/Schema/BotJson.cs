using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BotRuntime.Schema;

/// <summary>The one set of JSON options for everything on the Bot Framework wire.</summary>
public static class BotJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Generated metadata for the schema; reflection for payloads bots put in value/channelData.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(BotJsonContext.Default, new DefaultJsonTypeInfoResolver()),
            // Channels send numbers as numbers; never accept "12" for an int the way the Web defaults do.
            NumberHandling = JsonNumberHandling.Strict,
            // A client may send the same activity with trailing commas or comments in test tools; the wire does not.
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            // Wire JSON is never embedded in HTML; keep "<at>", "+01:00" and non-ASCII text readable as channels send them.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new Iso8601DateTimeOffsetConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// The source-generated context for HTTP clients (Refit needs a context, not options), carrying the same
    /// naming, null handling and timestamp format as <see cref="Options"/>.
    /// </summary>
    public static BotJsonContext WireContext { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new Iso8601DateTimeOffsetConverter() },
    });

    public static string Serialize(Activity activity) => JsonSerializer.Serialize(activity, Options);

    public static Activity? Deserialize(string json) => JsonSerializer.Deserialize<Activity>(json, Options);
}

/// <summary>
/// Writes UTC instants with a trailing <c>Z</c> as the Bot Framework services do, and other offsets as
/// <c>+hh:mm</c> so that <c>localTimestamp</c> keeps the client's offset.
/// </summary>
public sealed class Iso8601DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    // Both directions go through a stack buffer rather than a string (issue 22: every reply, done record and transcript
    // line carries a timestamp). Longer values than these buffers (never a valid ISO-8601 instant) still take a string.
    private const int MaxStackChars = 64;
    private const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
    private const string OffsetFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxStackChars)
        {
            // UTF-8 never decodes to more UTF-16 units than it has bytes, escaped or not.
            Span<char> chars = stackalloc char[MaxStackChars];
            var length = reader.CopyString(chars);
            if (TryParse(chars[..length], out var parsed))
            {
                return parsed;
            }
        }
        var text = reader.GetString();
        if (text is null || !TryParse(text, out var value))
        {
            throw new JsonException($"'{text}' is not an ISO-8601 date-time.");
        }
        return value;
    }

    private static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> chars = stackalloc char[MaxStackChars];
        var written = value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.TryFormat(chars, out var length, UtcFormat, CultureInfo.InvariantCulture)
            : value.TryFormat(chars, out length, OffsetFormat, CultureInfo.InvariantCulture);
        if (written)
        {
            writer.WriteStringValue(chars[..length]);
            return;
        }
        writer.WriteStringValue(value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString(UtcFormat, CultureInfo.InvariantCulture)
            : value.ToString(OffsetFormat, CultureInfo.InvariantCulture));
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(List<Activity>))]
[JsonSerializable(typeof(Activity[]))]
[JsonSerializable(typeof(ExpectedReplies))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HeroCard))]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class BotJsonContext : JsonSerializerContext;
