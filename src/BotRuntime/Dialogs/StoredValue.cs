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

    /// <summary>
    /// Writes what <see cref="ToJson"/> returns, but a typed value straight into <paramref name="writer"/> (issue 22: every
    /// end-of-turn save wrote each dialog's state into a document of its own first, only to copy it out again). Same
    /// bytes: an element is written back through the writer's own encoder and indentation, as the serializer writes.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (!_typed)
        {
            _json.WriteTo(writer);
        }
        else if (_value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, _value, _value.GetType(), StateJson.Options);
        }
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
        // A standalone element (no pooled document to give back), so FromJson's Clone copies nothing.
        return StoredValue.FromJson(JsonElement.ParseValue(ref reader));
    }

    public override void Write(Utf8JsonWriter writer, StoredValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        value.WriteTo(writer);
    }
}
