using System.Globalization;
using BotRuntime.State;

namespace AriaBot.Audit;

/// <summary>How an account action ended.</summary>
public enum AuditOutcome
{
    /// <summary>Aria applied it.</summary>
    Committed,
    /// <summary>Aria refused it (declined card, blocked status, invalid plan…); nothing changed.</summary>
    Rejected,
    /// <summary>It could not be sent, or Aria was unavailable before it was applied; nothing changed.</summary>
    Failed,
    /// <summary>Aria may or may not have applied it (reply lost); reconciliation decides.</summary>
    Unknown,
}

/// <summary>One account action as it happened. Never holds card data, passwords or session ids.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required long AccountNo { get; init; }
    /// <summary>The Aria call, e.g. <c>replace_acct_plan_m</c>.</summary>
    public required string Call { get; init; }
    public required AuditOutcome Outcome { get; init; }
    public string? ChannelId { get; init; }
    public string? ConversationId { get; init; }
    /// <summary>The total the customer saw in the preview they confirmed.</summary>
    public decimal? PreviewTotal { get; init; }
    public string? Currency { get; init; }
    /// <summary>The id of the activity that carried the customer's "yes".</summary>
    public string? ConfirmationActivityId { get; init; }
    /// <summary>Aria <c>client_receipt_id</c>: ties the entry to the write and to Aria's own records.</summary>
    public string? ReceiptId { get; init; }
    public long? AriaErrorCode { get; init; }
    /// <summary>A short plain description (plan names, order number); no secrets.</summary>
    public string? Detail { get; init; }
}

/// <summary>An append-only record of account actions: entries are created, never changed or removed.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The account's entries, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long accountNo, int limit = 100, CancellationToken cancellationToken = default);
}

/// <summary>
/// The audit log in the state store. Each entry gets its own key, written create-only, so an entry can never
/// be overwritten — not even by a bug that reuses an id (the second write fails loudly instead).
/// </summary>
public sealed class StorageAuditLog(IStorage storage) : IAuditLog
{
    private const string Prefix = "audit/";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = $"{AccountPrefix(entry.AccountNo)}{entry.At.UtcTicks.ToString("D20", CultureInfo.InvariantCulture)}-{entry.Id}";
        await storage.WriteAsync(key, entry, eTag: null, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long accountNo, int limit = 100, CancellationToken cancellationToken = default)
    {
        var items = await storage.ReadPrefixAsync(AccountPrefix(accountNo), limit, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(item => System.Text.Json.JsonSerializer.Deserialize<AuditEntry>(item.Value.Document, StateJson.Options)!)];
    }

    private static string AccountPrefix(long accountNo) => $"{Prefix}{accountNo.ToString("D12", CultureInfo.InvariantCulture)}/";
}
