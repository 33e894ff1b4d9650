using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aria.Client.Serialization;

/// <summary>
/// Aria's "boolean" inputs (<c>do_write</c>, <c>do_collect</c>, …) are the strings "true"/"false";
/// anything else is error 1033. Reading also accepts JSON booleans and 0/1.
/// </summary>
public sealed class AriaStringBooleanConverter : JsonConverter<bool?>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Number => reader.GetInt64() != 0,
            JsonTokenType.String => reader.GetString() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                "" or null => null,
                var other => throw new JsonException($"'{other}' is not an Aria boolean"),
            },
            _ => throw new JsonException("Expected an Aria boolean"),
        };

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value ? "true" : "false");
        }
    }
}

/// <summary>Aria dates are <c>yyyy-mm-dd</c> strings (1024 otherwise).</summary>
public sealed class AriaDateConverter : JsonConverter<DateOnly?>
{
    public const string Format = "yyyy-MM-dd";

    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Some Aria replies add a time of day; the date part is what the calls mean.
        var datePart = text.Length > 10 ? text[..10] : text;
        return DateOnly.ParseExact(datePart, Format, System.Globalization.CultureInfo.InvariantCulture);
    }

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value.ToString(Format, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
