using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.State;

/// <summary>
/// A bag of typed properties kept in storage under one key per scope (conversation, user, …), loaded once
/// per turn and saved once at its end with the eTag it was loaded with. A save that finds the document
/// changed by someone else throws <see cref="StorageConflictException"/>: it never overwrites silently.
/// </summary>
public abstract class BotState
{
    private readonly string _contextServiceKey;

    protected BotState(IStorage storage, string contextServiceKey)
    {
        Storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _contextServiceKey = contextServiceKey;
    }

    protected IStorage Storage { get; }

    /// <summary>
    /// How long a stored document outlives its last save (null: kept until deleted). Every save moves the expiry on,
    /// so only state left untouched that long goes; the purge then removes it.
    /// </summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>The clock for <see cref="Retention"/>. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    private DateTimeOffset? ExpiresAt() => Retention is { } retention ? TimeProvider.GetUtcNow() + retention : null;

    /// <summary>The storage key for this turn, or null when the activity lacks what the key needs.</summary>
    protected abstract string? GetStorageKey(ITurnContext turnContext);

    public IStatePropertyAccessor<T> CreateProperty<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new StatePropertyAccessor<T>(this, name);
    }

    public async Task LoadAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (!force && turnContext.TurnState.Get<CachedState>(_contextServiceKey) is not null)
        {
            return;
        }
        var key = RequireKey(turnContext);
        var items = await Storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        var cached = items.TryGetValue(key, out var item) ? CachedState.From(item) : new CachedState();
        turnContext.TurnState.Set(_contextServiceKey, cached);
    }

    /// <summary>Writes the state if it changed this turn (or always, with <paramref name="force"/>).</summary>
    public async Task SaveChangesAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (PrepareSave(turnContext, force) is not { } save)
        {
            return;
        }
        var written = await Storage.WriteAsync(new Dictionary<string, StoreWrite> { [save.Key] = save.Write }, cancellationToken).ConfigureAwait(false);
        save.Saved(written[save.Key]);
    }

    /// <summary>The store a save goes to (for <see cref="AutoSaveStateMiddleware"/> gathering saves into <see cref="TurnWrites"/>).</summary>
    internal IStorage SaveStorage => Storage;

    /// <summary>The write a save would make (null when nothing changed), and what to call with the new eTag once it is stored.</summary>
    internal PendingSave? PrepareSave(ITurnContext turnContext, bool force)
    {
        var cached = turnContext.TurnState.Get<CachedState>(_contextServiceKey);
        if (cached is null)
        {
            return null;
        }
        // The document is written into a reused buffer and compared, as UTF-8, with the bytes it was loaded (or last
        // saved) as; only a changed one is parsed into the element the store takes (most turns change nothing).
        var document = cached.ChangedDocument(force);
        if (document is not { } changed)
        {
            return null;
        }
        return new PendingSave(RequireKey(turnContext), new StoreWrite(changed, cached.ETag, ExpiresAt()), eTag => (cached.ETag, cached.Saved) = (eTag, changed));
    }

    internal sealed record PendingSave(string Key, StoreWrite Write, Action<string> Saved);

    /// <summary>
    /// Stores one property of this turn's state together with <paramref name="changes"/> in a single storage write,
    /// so that the property and those keys can never disagree after a crash between two writes. Only that property is
    /// written: the rest of the document stays as it was loaded (or last saved), so a turn that dies afterwards
    /// leaves none of its other half-made changes behind. The property also takes <paramref name="value"/> in this
    /// turn's copy (null removes it), and the eTag moves on, so the end-of-turn save still succeeds. A conflict on
    /// the state's own key (another turn saved meanwhile) throws <see cref="StorageConflictException"/> naming it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> WriteWithAsync<T>(ITurnContext turnContext, string name, T? value,
        IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(changes);
        var cached = await EnsureLoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var key = RequireKey(turnContext);
        var node = value is null ? null : JsonSerializer.SerializeToNode(value, StateJson.Options);
        var stored = CachedState.StoredWith(cached.Saved, name, node);
        var all = new Dictionary<string, StoreWrite>(changes, StringComparer.Ordinal) { [key] = new(stored, cached.ETag, ExpiresAt()) };
        var written = await Storage.WriteAsync(all, cancellationToken).ConfigureAwait(false);
        cached.ETag = written[key];
        cached.Saved = stored;
        cached.Raw.Remove(name);
        if (value is null)
        {
            cached.Typed.Remove(name);
        }
        else
        {
            cached.Typed[name] = value;
        }
        return written;
    }

    /// <summary>The storage key of this state for the turn (null when the activity lacks the ids it needs).</summary>
    public string? StorageKeyFor(ITurnContext turnContext) => GetStorageKey(turnContext);

    /// <summary>Empties the state for this turn; the next save writes it empty.</summary>
    public Task ClearStateAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var cached = turnContext.TurnState.Get<CachedState>(_contextServiceKey);
        if (cached is null)
        {
            turnContext.TurnState.Set(_contextServiceKey, new CachedState());
        }
        else
        {
            cached.Clear();
        }
        return Task.CompletedTask;
    }

    /// <summary>Removes the stored document now.</summary>
    public async Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        turnContext.TurnState.Remove(_contextServiceKey);
        await Storage.DeleteAsync([RequireKey(turnContext)], cancellationToken).ConfigureAwait(false);
    }

    internal async Task<T?> GetPropertyAsync<T>(ITurnContext turnContext, string name, Func<T>? defaultValueFactory, CancellationToken cancellationToken)
    {
        var cached = await EnsureLoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (cached.Typed.TryGetValue(name, out var value))
        {
            return value is T typed || value is null
                ? (T?)value
                : throw new InvalidOperationException($"State property '{name}' holds a {value.GetType().Name}, not a {typeof(T).Name}.");
        }
        if (cached.Raw.TryGetValue(name, out var raw))
        {
            var restored = raw.Deserialize<T>(StateJson.Options);
            cached.Typed[name] = restored;
            return restored;
        }
        if (defaultValueFactory is null)
        {
            return default;
        }
        var created = defaultValueFactory();
        cached.Typed[name] = created;
        return created;
    }

    internal async Task SetPropertyAsync<T>(ITurnContext turnContext, string name, T value, CancellationToken cancellationToken)
    {
        var cached = await EnsureLoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        cached.Raw.Remove(name);
        cached.Typed[name] = value;
    }

    internal async Task DeletePropertyAsync(ITurnContext turnContext, string name, CancellationToken cancellationToken)
    {
        var cached = await EnsureLoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        cached.Raw.Remove(name);
        cached.Typed.Remove(name);
    }

    private async Task<CachedState> EnsureLoadedAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        await LoadAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        return turnContext.TurnState.Get<CachedState>(_contextServiceKey)!;
    }

    private string RequireKey(ITurnContext turnContext) =>
        GetStorageKey(turnContext) ?? throw new InvalidOperationException($"{GetType().Name} needs a channel id and ids the activity does not carry.");

    /// <summary>
    /// The turn's copy: properties read this turn live as typed objects (so in-place changes are saved), the
    /// rest stays as the JSON it was read as, so a property this code version does not know survives a save.
    /// </summary>
    private sealed class CachedState
    {
        public Dictionary<string, JsonElement> Raw { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, object?> Typed { get; } = new(StringComparer.Ordinal);
        public string? ETag { get; set; }

        /// <summary>The document as loaded or last saved (a standalone element); null before the first save.</summary>
        public JsonElement? Saved { get; set; }

        public static CachedState From(StoreItem item)
        {
            // Clone is free for the stores' own standalone elements and a copy for anything else.
            var state = new CachedState { ETag = item.ETag, Saved = item.Document.Clone() };
            if (item.Document.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in item.Document.EnumerateObject())
                {
                    state.Raw[property.Name] = property.Value.Clone();
                }
            }
            return state;
        }

        public void Clear()
        {
            Raw.Clear();
            Typed.Clear();
        }

        /// <summary>The document as last stored (<paramref name="savedDocument"/>, or empty) with one property replaced or removed, in ordinal order.</summary>
        public static JsonElement StoredWith(JsonElement? savedDocument, string name, JsonNode? value)
        {
            var properties = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (savedDocument is { } document && JsonNode.Parse(JsonMarshal.GetRawUtf8Value(document)) is JsonObject saved)
            {
                foreach (var (property, node) in saved)
                {
                    properties[property] = node?.DeepClone();
                }
            }
            if (value is null)
            {
                properties.Remove(name);
            }
            else
            {
                properties[name] = value;
            }
            return JsonSerializer.SerializeToElement(new JsonObject(properties), StateJson.Options);
        }

        /// <summary>
        /// The document to store (properties in ordinal order, so that "unchanged" compares as equal bytes), or null when
        /// it is byte for byte what was loaded or last saved and <paramref name="force"/> is false.
        /// </summary>
        public JsonElement? ChangedDocument(bool force) => StateDocument.Write(Raw, Typed, (Saved, force), static (utf8, context) =>
            !context.force && context.Saved is { } saved && JsonMarshal.GetRawUtf8Value(saved).SequenceEqual(utf8)
                ? (JsonElement?)null
                : StateDocument.Parse(utf8));
    }
}

public interface IStatePropertyAccessor<T>
{
    string Name { get; }

    Task<T?> GetAsync(ITurnContext turnContext, Func<T>? defaultValueFactory = null, CancellationToken cancellationToken = default);

    Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default);

    Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}

internal sealed class StatePropertyAccessor<T>(BotState state, string name) : IStatePropertyAccessor<T>
{
    public string Name => name;

    public Task<T?> GetAsync(ITurnContext turnContext, Func<T>? defaultValueFactory = null, CancellationToken cancellationToken = default) =>
        state.GetPropertyAsync(turnContext, name, defaultValueFactory, cancellationToken);

    public Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default) =>
        state.SetPropertyAsync(turnContext, name, value, cancellationToken);

    public Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default) =>
        state.DeletePropertyAsync(turnContext, name, cancellationToken);
}

/// <summary>State of one conversation, shared by everyone in it.</summary>
public sealed class ConversationState(IStorage storage) : BotState(storage, nameof(ConversationState))
{
    protected override string? GetStorageKey(ITurnContext turnContext) => StorageKeyOf(turnContext.Activity);

    /// <summary>Where the state of <paramref name="activity"/>'s conversation is stored (the runtime reads it ahead with the turn's lease).</summary>
    public static string? StorageKeyOf(Activity? activity) =>
        activity is { ChannelId: { Length: > 0 } channel, Conversation.Id: { Length: > 0 } conversation }
            ? $"{channel}/conversations/{conversation}"
            : null;
}

/// <summary>
/// State of one user across conversations, keyed by the channel's <c>from.id</c>. Never put anything there
/// that grants access: on some channels the client chooses its own <c>from.id</c>.
/// </summary>
public sealed class UserState(IStorage storage) : BotState(storage, nameof(UserState))
{
    protected override string? GetStorageKey(ITurnContext turnContext) =>
        turnContext.Activity is { ChannelId: { Length: > 0 } channel, From.Id: { Length: > 0 } user }
            ? $"{channel}/users/{user}"
            : null;
}

/// <summary>State of one user inside one conversation.</summary>
public sealed class PrivateConversationState(IStorage storage) : BotState(storage, nameof(PrivateConversationState))
{
    protected override string? GetStorageKey(ITurnContext turnContext) =>
        turnContext.Activity is { ChannelId: { Length: > 0 } channel, Conversation.Id: { Length: > 0 } conversation, From.Id: { Length: > 0 } user }
            ? $"{channel}/conversations/{conversation}/users/{user}"
            : null;
}
