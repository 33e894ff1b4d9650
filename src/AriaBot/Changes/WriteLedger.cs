using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Changes;

public enum WriteIntentStatus
{
    /// <summary>Recorded before Aria was called; the outcome is not known yet.</summary>
    Pending,
    Committed,
    /// <summary>Proven not applied (Aria refused it, or reading the account shows it did not happen).</summary>
    NotApplied,
    /// <summary>Reconciliation could not prove either way; nothing is retried and the customer is told so.</summary>
    Unknown,
}

/// <summary>
/// A write to Aria about to happen: recorded as <see cref="WriteIntentStatus.Pending"/> before the call, so that a
/// crash between Aria's commit and our own state save is found and reconciled instead of repeated.
/// </summary>
public sealed record WriteIntent
{
    /// <summary>The write's idempotency key, also sent to Aria as <c>client_receipt_id</c>.</summary>
    public required string Id { get; init; }
    /// <summary>What kind of write (e.g. <c>replacePlan</c>); chooses the reconciler.</summary>
    public required string Kind { get; init; }
    public required long AccountNo { get; init; }
    /// <summary><c>{channelId}/{conversationId}</c> of the conversation that asked for it.</summary>
    public required string ConversationKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public WriteIntentStatus Status { get; init; } = WriteIntentStatus.Pending;
    /// <summary>Hash of the exact request sent with <c>do_write=true</c>.</summary>
    public string? RequestHash { get; init; }
    /// <summary>What the reconciler needs to recognise the write in the account (plan numbers, instance, SKUs…).</summary>
    public JsonElement? Expectation { get; init; }
    /// <summary>A short description for the customer and the audit ("switch from Standard to Premium").</summary>
    public string? Description { get; init; }
    public decimal? PreviewTotal { get; init; }
    public string? Currency { get; init; }
    public string? ConfirmationActivityId { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>True once the customer has been told how a reconciled write ended.</summary>
    public bool CustomerTold { get; init; }
    public string? Outcome { get; init; }
}

/// <summary>The pending-intent record for writes.</summary>
public interface IWriteLedger
{
    /// <summary>Records the intent as pending before Aria is called; false when an intent with this id exists (never recorded twice).</summary>
    Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="RecordPendingAsync(WriteIntent, CancellationToken)"/> from inside a turn of the intent's conversation:
    /// the conversation's index of open records is updated in the same storage write (so later turns can skip the read).
    /// </summary>
    Task<bool> RecordPendingAsync(WriteIntent intent, ITurnContext turn, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the final status of an intent that is still pending; false (and nothing written) when it was already
    /// settled — by the writer itself or by a concurrent reconciliation — so each write is settled exactly once.
    /// </summary>
    Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default);

    /// <summary>Marks a completed intent as told to the customer.</summary>
    Task MarkToldAsync(string id, CancellationToken cancellationToken = default);

    Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Intents of the conversation still pending, or completed by reconciliation but not yet told.</summary>
    Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// The open intents of the turn's conversation; without reading the ledger when the conversation's own state
    /// proves there are none. The default always reads, which is never wrong, only slower.
    /// </summary>
    Task<IReadOnlyList<WriteIntent>> OpenForTurnAsync(ITurnContext turn, CancellationToken cancellationToken = default) =>
        OpenForConversationAsync((turn ?? throw new ArgumentNullException(nameof(turn))).Activity.ConversationKey, cancellationToken);

    /// <summary>Every open intent (for the start-up sweep).</summary>
    Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Intents in the state store: the record under <c>intents/{id}</c> and, while it needs attention, a marker under
/// <c>intents-open/{conversation}/{id}</c> so a turn finds its conversation's open intents with one prefix read.
/// Record and marker change in one atomic write.
/// <para>
/// The conversation's own state also keeps <see cref="OpenIndexProperty"/>, the ids that may still be open, written
/// in that same storage write (invariant 3: no crash can leave a marker the index does not list). A turn whose state
/// says the list is empty skips the prefix read; a list with ids (possibly already told: it is pruned lazily, by
/// the next read) or no list at all (state saved by a build before the index) means "read the markers", so a
/// conversation from an older build is settled exactly as before.
/// </para>
/// </summary>
public sealed class StorageWriteLedger(IStorage storage, TimeProvider timeProvider, IOptions<StateOptions>? stateOptions = null) : IWriteLedger
{
    /// <summary>The conversation-state property holding the ids of intents that may be open (a list of strings).</summary>
    public const string OpenIndexProperty = "OpenWrites";

    private const int ConflictRetries = 5;

    /// <summary>
    /// How long a settled and told record is kept: long after any "yes" could be sent again (a preview is taken again
    /// after minutes, a conversation restarts after 12 hours), so a repeated confirmation still finds it.
    /// </summary>
    public static readonly TimeSpan ClosedRecordRetention = TimeSpan.FromDays(90);

    // BotState keeps a turn's copy under its type name, so this instance shares the turn's cached conversation state
    // (the one the runtime saves at the end of the turn) rather than loading a second copy.
    private readonly ConversationState _conversation = new(storage)
    {
        Retention = stateOptions?.Value.ConversationRetention,
        TimeProvider = timeProvider,
    };

    /// <summary>How long a placeholder conversation document made outside a turn lives (it only has to outlast a turn).</summary>
    private static readonly TimeSpan PlaceholderLifetime = TimeSpan.FromDays(1);

    private static string RecordKey(string id) => $"intents/{id}";

    private static string OpenKey(string conversationKey, string id) => $"intents-open/{conversationKey}/{id}";

    private static Dictionary<string, StoreWrite> PendingChanges(WriteIntent intent) => new(StringComparer.Ordinal)
    {
        [RecordKey(intent.Id)] = new(Serialize(intent with { Status = WriteIntentStatus.Pending }), null),
        [OpenKey(intent.ConversationKey, intent.Id)] = new(Serialize(new OpenMarker(intent.Id)), null),
    };

    public async Task<bool> RecordPendingAsync(WriteIntent intent, ITurnContext turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(turn);
        if (_conversation.StorageKeyFor(turn) is null || !string.Equals(turn.Activity.ConversationKey, intent.ConversationKey, StringComparison.Ordinal))
        {
            return await RecordPendingAsync(intent, cancellationToken).ConfigureAwait(false);
        }
        var index = await OpenIndex.GetAsync(turn, null, cancellationToken).ConfigureAwait(false);
        // An unknown index stays unknown (the property is removed from the stored copy, so no stale list survives).
        List<string>? next = index is null ? null : [.. index.Where(id => id != intent.Id), intent.Id];
        try
        {
            await _conversation.WriteWithAsync(turn, OpenIndexProperty, next, PendingChanges(intent), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            // The record exists: recorded before (a repeated yes). Otherwise the conversation's state moved under this
            // turn, which is a lost save like any other (invariant 5).
            if (await ExistsAsync(intent.Id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            throw;
        }
    }

    public async Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var stateKey = ConversationStateKey(intent.ConversationKey);
        for (var attempt = 0; ; attempt++)
        {
            // Outside a turn: the conversation's document is rewritten (with the id added to an index it already has)
            // under its eTag, so a turn that loaded it earlier cannot save an index that misses this record; an
            // absent one is created empty (for a day), so a turn that found none cannot create one that misses it.
            var changes = PendingChanges(intent);
            var items = await storage.ReadAsync([stateKey], cancellationToken).ConfigureAwait(false);
            changes[stateKey] = items.TryGetValue(stateKey, out var item)
                ? new(WithIndexedId(item.Document, intent.Id), item.ETag, item.ExpiresAt)
                : new(JsonSerializer.SerializeToElement(new JsonObject(), StateJson.Options), null, timeProvider.GetUtcNow() + PlaceholderLifetime);
            try
            {
                await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                if (await ExistsAsync(intent.Id, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }

    public async Task<IReadOnlyList<WriteIntent>> OpenForTurnAsync(ITurnContext turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (_conversation.StorageKeyFor(turn) is null)
        {
            return await OpenForConversationAsync(turn.Activity.ConversationKey, cancellationToken).ConfigureAwait(false);
        }
        if (await OpenIndex.GetAsync(turn, null, cancellationToken).ConfigureAwait(false) is { Count: 0 })
        {
            return [];
        }
        var open = await OpenForConversationAsync(turn.Activity.ConversationKey, cancellationToken).ConfigureAwait(false);
        // What the markers say now becomes the index (saved with the turn's state): once these are told, the next
        // read finds none and stores the empty list that lets later turns skip the read.
        await OpenIndex.SetAsync(turn, [.. open.Select(intent => intent.Id)], cancellationToken).ConfigureAwait(false);
        return open;
    }

    private IStatePropertyAccessor<List<string>> OpenIndex => field ??= _conversation.CreateProperty<List<string>>(OpenIndexProperty);

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken) =>
        (await storage.ReadAsync([RecordKey(id)], cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary><c>{channel}/{conversation}</c> to the key <see cref="ConversationState"/> stores that conversation under.</summary>
    private static string ConversationStateKey(string conversationKey)
    {
        var separator = conversationKey.IndexOf('/', StringComparison.Ordinal);
        return separator < 0
            ? throw new ArgumentException($"'{conversationKey}' is not a channel/conversation key.", nameof(conversationKey))
            : $"{conversationKey[..separator]}/conversations/{conversationKey[(separator + 1)..]}";
    }

    private static JsonElement WithIndexedId(JsonElement document, string id)
    {
        if (JsonNode.Parse(document.GetRawText()) is not JsonObject state)
        {
            return document;
        }
        if (state[OpenIndexProperty] is JsonArray index && !index.Any(entry => entry?.GetValue<string>() == id))
        {
            index.Add(id);
        }
        return JsonSerializer.SerializeToElement(state, StateJson.Options);
    }

    public async Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync<WriteIntent>(RecordKey(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No write intent '{id}'.");
        if (stored.Value.Status != WriteIntentStatus.Pending)
        {
            return false;
        }
        var completed = stored.Value with { Status = status, Outcome = outcome, CompletedAt = timeProvider.GetUtcNow(), CustomerTold = customerTold };
        try
        {
            await WriteAsync(completed, stored.ETag, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    public async Task MarkToldAsync(string id, CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync<WriteIntent>(RecordKey(id), cancellationToken).ConfigureAwait(false);
        if (stored is not null && !stored.Value.CustomerTold)
        {
            await WriteAsync(stored.Value with { CustomerTold = true }, stored.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(WriteIntent intent, string eTag, CancellationToken cancellationToken)
    {
        var stillOpen = intent.Status == WriteIntentStatus.Pending || !intent.CustomerTold;
        // A write proven done or not done, and told, has served its purpose (its audit row stays for good); one whose
        // outcome is unknown waits for a person and never expires, nor does anything still open.
        DateTimeOffset? expires = !stillOpen && intent.Status != WriteIntentStatus.Unknown ? timeProvider.GetUtcNow() + ClosedRecordRetention : null;
        var changes = new Dictionary<string, StoreWrite> { [RecordKey(intent.Id)] = new(Serialize(intent), eTag, expires) };
        if (stillOpen)
        {
            changes[OpenKey(intent.ConversationKey, intent.Id)] = new(Serialize(new OpenMarker(intent.Id)), StoreWrite.AnyETag);
            await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
            await storage.DeleteAsync([OpenKey(intent.ConversationKey, intent.Id)], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await storage.ReadAsync<WriteIntent>(RecordKey(id), cancellationToken).ConfigureAwait(false))?.Value;

    public Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default) =>
        OpenUnderAsync($"intents-open/{conversationKey}/", cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default) =>
        OpenUnderAsync("intents-open/", cancellationToken);

    private async Task<IReadOnlyList<WriteIntent>> OpenUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var markers = await storage.ReadPrefixAsync(prefix, 1000, cancellationToken).ConfigureAwait(false);
        if (markers.Count == 0)
        {
            return [];
        }
        var ids = markers.Select(marker => marker.Value.Document.Deserialize<OpenMarker>(StateJson.Options)!.Id).ToList();
        var records = await storage.ReadAsync([.. ids.Select(RecordKey)], cancellationToken).ConfigureAwait(false);
        return [.. ids.Select(RecordKey).Where(records.ContainsKey).Select(key => records[key].Document.Deserialize<WriteIntent>(StateJson.Options)!)
            .OrderBy(intent => intent.CreatedAt)];
    }

    private static JsonElement Serialize<T>(T value) => JsonSerializer.SerializeToElement(value, StateJson.Options);

    private sealed record OpenMarker(string Id);
}
