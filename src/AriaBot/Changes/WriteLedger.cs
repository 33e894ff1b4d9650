using System.Text.Json;
using BotRuntime.State;

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
    /// Sets the final status of an intent that is still pending; false (and nothing written) when it was already
    /// settled — by the writer itself or by a concurrent reconciliation — so each write is settled exactly once.
    /// </summary>
    Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default);

    /// <summary>Marks a completed intent as told to the customer.</summary>
    Task MarkToldAsync(string id, CancellationToken cancellationToken = default);

    Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Intents of the conversation still pending, or completed by reconciliation but not yet told.</summary>
    Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default);

    /// <summary>Every open intent (for the start-up sweep).</summary>
    Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Intents in the state store: the record under <c>intents/{id}</c> and, while it needs attention, an index entry
/// under <c>intents-open/{conversation}/{id}</c> so a turn finds its conversation's open intents with one prefix read.
/// Record and index change in one atomic write.
/// </summary>
public sealed class StorageWriteLedger(IStorage storage, TimeProvider timeProvider) : IWriteLedger
{
    private static string RecordKey(string id) => $"intents/{id}";

    private static string OpenKey(string conversationKey, string id) => $"intents-open/{conversationKey}/{id}";

    public async Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var pending = intent with { Status = WriteIntentStatus.Pending };
        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite>
            {
                [RecordKey(intent.Id)] = new(Serialize(pending), null),
                [OpenKey(intent.ConversationKey, intent.Id)] = new(Serialize(new OpenMarker(intent.Id)), null),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
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
        var changes = new Dictionary<string, StoreWrite> { [RecordKey(intent.Id)] = new(Serialize(intent), eTag) };
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
