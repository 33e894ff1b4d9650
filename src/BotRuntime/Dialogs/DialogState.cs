using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotRuntime.Dialogs;

/// <summary>
/// The persisted dialog stack of one conversation (index 0 is the top), kept in a conversation-state property.
/// Stored as <c>{"dialogStack":[{"id","version","state"}]}</c>.
/// </summary>
[JsonConverter(typeof(DialogStateConverter))]
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

/// <summary>
/// Reads and writes <see cref="DialogState"/> exactly as the serializer's object converter does (camelCase names, a null
/// property left out, names matched without case, unknown ones skipped), but as a single value: the serializer's own
/// object converter pushes a frame for the stack's list, and its first nested frame allocates an array of them (about
/// 1 KB; issue 22: several per turn, since a component's state holds a stack too). <c>DialogStateConverterTests</c> pin
/// the bytes against the serializer's.
/// </summary>
internal sealed class DialogStateConverter : JsonConverter<DialogState>
{
    private static readonly DialogInstanceConverter Instances = new();

    public override DialogState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A dialog state must be a JSON object, not {reader.TokenType}.");
        }
        var state = new DialogState();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var stack = reader.ValueTextEquals("dialogStack"u8);
            var lastTurnAt = !stack && reader.ValueTextEquals("lastTurnAt"u8);
            if (!stack && !lastTurnAt && options.PropertyNameCaseInsensitive)
            {
                var name = reader.GetString();
                stack = string.Equals(name, nameof(DialogState.DialogStack), StringComparison.OrdinalIgnoreCase);
                lastTurnAt = string.Equals(name, nameof(DialogState.LastTurnAt), StringComparison.OrdinalIgnoreCase);
            }
            reader.Read();
            if (stack)
            {
                state.DialogStack = ReadStack(ref reader, options)!;
            }
            else if (lastTurnAt)
            {
                state.LastTurnAt = reader.TokenType == JsonTokenType.Null ? null : TimeConverter(options).Read(ref reader, typeof(DateTimeOffset), options);
            }
            else
            {
                reader.Skip();
            }
        }
        return state;
    }

    private static List<DialogInstance>? ReadStack(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A dialog stack must be a JSON array, not {reader.TokenType}.");
        }
        var stack = new List<DialogInstance>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            stack.Add(reader.TokenType == JsonTokenType.Null ? null! : Instances.Read(ref reader, typeof(DialogInstance), options));
        }
        return stack;
    }

    public override void Write(Utf8JsonWriter writer, DialogState value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var ignoreNull = options.DefaultIgnoreCondition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
        writer.WriteStartObject();
        if (value.DialogStack is { } stack)
        {
            writer.WriteStartArray(Name(nameof(DialogState.DialogStack), options));
            foreach (var instance in stack)
            {
                if (instance is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    Instances.Write(writer, instance, options);
                }
            }
            writer.WriteEndArray();
        }
        else if (!ignoreNull)
        {
            writer.WriteNull(Name(nameof(DialogState.DialogStack), options));
        }
        if (value.LastTurnAt is { } at)
        {
            writer.WritePropertyName(Name(nameof(DialogState.LastTurnAt), options));
            TimeConverter(options).Write(writer, at, options);
        }
        else if (!ignoreNull)
        {
            writer.WriteNull(Name(nameof(DialogState.LastTurnAt), options));
        }
        writer.WriteEndObject();
    }

    private static readonly JsonEncodedText CamelStack = JsonEncodedText.Encode("dialogStack");
    private static readonly JsonEncodedText CamelLastTurnAt = JsonEncodedText.Encode("lastTurnAt");

    // The stored names come from the options' naming policy, as the serializer's would; camelCase (the state's) is kept encoded.
    private static JsonEncodedText Name(string name, JsonSerializerOptions options) =>
        options.PropertyNamingPolicy == JsonNamingPolicy.CamelCase
            ? name == nameof(DialogState.DialogStack) ? CamelStack : CamelLastTurnAt
            : JsonEncodedText.Encode(options.PropertyNamingPolicy?.ConvertName(name) ?? name);

    private static JsonConverter<DateTimeOffset> TimeConverter(JsonSerializerOptions options) =>
        (JsonConverter<DateTimeOffset>)options.GetConverter(typeof(DateTimeOffset));
}
