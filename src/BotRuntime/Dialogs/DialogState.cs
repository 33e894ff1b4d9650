using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotRuntime.Dialogs;

/// <summary>
/// The persisted dialog stack of one conversation (index 0 is the top), kept in a conversation-state property.
/// Stored as <c>{"dialogStack":[{"id","version","state"}]}</c>.
/// </summary>
public sealed class DialogState
{
    public List<DialogInstance> DialogStack { get; set; } = [];

    /// <summary>When the runner last ran a turn on this stack (from its <see cref="TimeProvider"/>); drives <see cref="DialogRunOptions.ExpireAfter"/>.</summary>
    public DateTimeOffset? LastTurnAt { get; set; }
}

/// <summary>
/// One dialog on the stack: which dialog (id and the version it had when it started) and its own state. The
/// state is typed by the dialog that owns it (<see cref="GetState{T}"/>), never handed out as an untyped blob.
/// </summary>
[JsonConverter(typeof(DialogInstanceConverter))]
public sealed class DialogInstance
{
    private StoredValue _state = StoredValue.FromObject(null);

    public DialogInstance(string id, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Version = version;
    }

    public string Id { get; }

    /// <summary>The dialog's <see cref="Dialog.Version"/> when this instance began; compared on resume.</summary>
    public int Version { get; }

    /// <summary>The state as <typeparamref name="T"/>; throws <see cref="DialogStateMismatchException"/> when the stored data does not fit.</summary>
    public T? GetState<T>() where T : class => _state.Get<T>();

    public void SetState<T>(T state) where T : class => _state = StoredValue.FromObject(state);

    internal void WriteStateTo(Utf8JsonWriter writer) => _state.WriteTo(writer);

    internal void SetStateJson(JsonElement json) => _state = StoredValue.FromJson(json);

    public override string ToString() => $"{Id} v{Version}";
}

internal sealed class DialogInstanceConverter : JsonConverter<DialogInstance>
{
    public override DialogInstance Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A standalone element: the instance keeps its state part without copying it (StoredValue.FromJson's Clone is free).
        var root = JsonElement.ParseValue(ref reader);
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
        {
            throw new JsonException("A stored dialog instance needs an id.");
        }
        // Stacks saved before versions existed read as version 0, which no dialog declares: they restart politely.
        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number) ? number : 0;
        var instance = new DialogInstance(id.GetString()!, version);
        if (root.TryGetProperty("state", out var state))
        {
            instance.SetStateJson(state);
        }
        return instance;
    }

    public override void Write(Utf8JsonWriter writer, DialogInstance value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteNumber("version", value.Version);
        writer.WritePropertyName("state");
        value.WriteStateTo(writer);
        writer.WriteEndObject();
    }
}
