using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotRuntime.Dialogs;

/// <summary>
/// Named values a waterfall keeps between its steps (the SDK's <c>stepContext.Values</c>). Access is typed:
/// <c>Set("plan", plan)</c> then <c>Get&lt;Plan&gt;("plan")</c> returns a <c>Plan</c> in this turn and after a
/// restart alike. An object read with <see cref="Get{T}"/> is live for the rest of the turn: changing it in
/// place is saved.
/// </summary>
[JsonConverter(typeof(DialogValuesConverter))]
public sealed class DialogValues
{
    private readonly SortedDictionary<string, StoredValue> _values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => _values.Keys;

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public void Set<T>(string key, T value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _values[key] = StoredValue.FromObject(value);
    }

    /// <summary>The value as <typeparamref name="T"/>; default when absent.</summary>
    public T? Get<T>(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _values.TryGetValue(key, out var value) ? value.Get<T>() : default;
    }

    public bool TryGet<T>(string key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_values.TryGetValue(key, out var stored) && stored.Get<T>() is { } typed)
        {
            value = typed;
            return true;
        }
        value = default!;
        return false;
    }

    public bool Remove(string key) => _values.Remove(key);

    public void Clear() => _values.Clear();

    internal void SetJson(string key, JsonElement json) => _values[key] = StoredValue.FromJson(json);

    internal IEnumerable<KeyValuePair<string, StoredValue>> Entries => _values;
}

internal sealed class DialogValuesConverter : JsonConverter<DialogValues>
{
    public override DialogValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A standalone element: the values keep parts of it without copying each (StoredValue.FromJson's Clone is free).
        var root = JsonElement.ParseValue(ref reader);
        var values = new DialogValues();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Dialog values must be a JSON object.");
        }
        foreach (var property in root.EnumerateObject())
        {
            values.SetJson(property.Name, property.Value);
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, DialogValues value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, stored) in value.Entries)
        {
            writer.WritePropertyName(key);
            stored.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
