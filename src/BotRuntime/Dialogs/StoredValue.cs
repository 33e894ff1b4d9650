using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.State;

namespace BotRuntime.Dialogs;

/// <summary>
/// One stored value that is either still the JSON it was read as, or the live typed object the code uses.
/// Read as a type once, it stays that object for the rest of the turn, so in-place changes are saved (as in
/// <see cref="BotState"/>); written, it becomes JSON again with the type the code gave it. This is what stops
/// options, waterfall values and dialog state from coming back as untyped blobs after a restart.
/// </summary>
[JsonConverter(typeof(StoredValueConverter))]
internal sealed class StoredValue
{
    private JsonElement _json;
    private object? _value;
    private bool _typed;

    private StoredValue() { }

    public static StoredValue FromJson(JsonElement json) => new() { _json = json.Clone() };

    public static StoredValue FromObject(object? value) => new() { _value = value, _typed = true };

    /// <summary>The object as stored in memory right now (typed if it was set or read as a type this turn), else its JSON.</summary>
    public object? Peek() => _typed ? _value : _json.ValueKind == JsonValueKind.Null ? null : _json;

    public T? Get<T>() => (T?)Get(typeof(T));

    public object? Get(Type type)
    {
        if (_typed)
        {
            if (_value is null || type.IsInstanceOfType(_value))
            {
                return _value;
            }
            // Same data asked for as another type (e.g. begun with a derived options object): convert through JSON.
            _json = ToJson();
            _typed = false;
        }
        if (type == typeof(JsonElement))
        {
            return _json;
        }
        if (_json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }
        try
        {
            _value = _json.Deserialize(type, StateJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new DialogStateMismatchException($"Stored dialog data no longer reads as {type.Name}: {exception.Message}", exception);
        }
        _typed = true;
        return _value;
    }

    public JsonElement ToJson() => _typed
        ? _value is null ? JsonSerializer.SerializeToElement<object?>(null, StateJson.Options) : JsonSerializer.SerializeToElement(_value, _value.GetType(), StateJson.Options)
        : _json;
}

internal sealed class StoredValueConverter : JsonConverter<StoredValue>
{
    public override bool HandleNull => true;

    public override StoredValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return StoredValue.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, StoredValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        value.ToJson().WriteTo(writer);
    }
}
