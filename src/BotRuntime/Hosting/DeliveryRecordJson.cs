using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.Hosting;

/// <summary>
/// Writes a turn's delivery record (the claim before it runs, the done record after) as the serializer would with
/// <see cref="StateJson.Options"/>, byte for byte, but by hand (issue 22): two records per turn went through the
/// serializer's reflection metadata, each timestamp was formatted into a string first, and a small reply body was
/// parsed into a document only to be written out again. Reading still goes through the serializer.
/// </summary>
internal sealed class DeliveryRecordJson : JsonConverter<TurnProcessor.DeliveryRecord>
{
    /// <summary><see cref="StateJson.Options"/> with this converter: what the turn's record writes are serialised with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static readonly Iso8601DateTimeOffsetConverter Timestamps = new();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(StateJson.Options);
        options.Converters.Insert(0, new DeliveryRecordJson());
        options.MakeReadOnly();
        return options;
    }

    // Stored records are read with StateJson.Options, which does not hold this converter; a read through these options
    // goes the same way.
    public override TurnProcessor.DeliveryRecord? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<TurnProcessor.DeliveryRecord>(ref reader, StateJson.Options);

    public override void Write(Utf8JsonWriter writer, TurnProcessor.DeliveryRecord value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        // The serializer's order (declaration order) and its rule: nulls are left out, everything else is written.
        writer.WriteStartObject();
        if (value.Status is { } status)
        {
            writer.WriteString("status"u8, status);
        }
        writer.WriteNumber("httpStatus"u8, value.HttpStatus);
        if (value.BodyUtf8 is { } raw)
        {
            // Written by System.Text.Json in this turn (the answer) or the raw value of a parsed element: valid JSON.
            writer.WritePropertyName("body"u8);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
        else if (value.Body is { } body)
        {
            writer.WritePropertyName("body"u8);
            body.WriteTo(writer);
        }
        if (value.PackedBody is { } packed)
        {
            writer.WriteBase64String("packedBody"u8, packed);
        }
        writer.WritePropertyName("startedAt"u8);
        WriteTimestamp(writer, value.StartedAt, options);
        if (value.Incarnation is { } incarnation)
        {
            writer.WriteString("incarnation"u8, incarnation);
        }
        if (value.LeaseUntil is { } leaseUntil)
        {
            writer.WritePropertyName("leaseUntil"u8);
            WriteTimestamp(writer, leaseUntil, options);
        }
        writer.WriteBoolean("interrupted"u8, value.Interrupted);
        if (value.Reference is { } reference)
        {
            writer.WritePropertyName("reference"u8);
            JsonSerializer.Serialize(writer, reference, StateJson.Options);
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// What <see cref="Iso8601DateTimeOffsetConverter"/> writes (<c>yyyy-MM-ddTHH:mm:ss.FFFFFFFZ</c>) for a UTC time,
    /// formatted straight into UTF-8 digits; any other offset goes through the converter itself.
    /// </summary>
    internal static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var utc = value.UtcDateTime;
        if (value.Offset != TimeSpan.Zero || utc.Year > 9999)
        {
            Timestamps.Write(writer, value, options);
            return;
        }
        Span<byte> text = stackalloc byte[28];
        Digits(text[..4], utc.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), utc.Second);
        var length = 19;
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            // "FFFFFFF": seven digits with the trailing zeros left off (and the point too when all are zero).
            text[19] = (byte)'.';
            Digits(text.Slice(20, 7), fraction);
            length = 27;
            while (text[length - 1] == (byte)'0')
            {
                length--;
            }
        }
        text[length++] = (byte)'Z';
        writer.WriteStringValue(text[..length]);
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
