using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace AriaBot.Payments.MakePayment;

/// <summary>
/// What the write record keeps to recognise a payment afterwards: the amount and method the customer confirmed, and
/// the newest payment <c>transaction_id</c> on the account when the confirmation began — a payment at or below it is
/// an older one, never this one.
/// </summary>
public sealed record PaymentExpectation(decimal Amount, long PaymentMethodNo, long? NewestTransactionBefore)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, StateJson.Options);
}

/// <summary>
/// Settles a payment whose reply was lost (invariant 3). First by its receipt id, which belongs to this write alone:
/// an action Aria recorded under it (<c>get_all_actions_by_receipt_id_m</c>), or the id among the account's receipts
/// (<c>get_all_acct_receipt_ids_m</c>), proves it was charged. Only when that cannot answer does it read the payment
/// history, counting only payments newer than <see cref="PaymentExpectation.NewestTransactionBefore"/> with the same
/// amount and method — so a deliberate second payment of the same amount is not taken for this one, nor this one for an
/// earlier one. Without that mark, or without an answer from Aria, the outcome stays unknown; nothing is retried.
/// </summary>
public sealed partial class PaymentReconciler(string kind, IAriaClient aria, TimeProvider timeProvider, ILogger<PaymentReconciler> logger) : IWriteReconciler
{
    /// <summary>How many recent payments are read when the receipt look-ups cannot answer.</summary>
    private const int HistoryRows = 50;

    public string Kind { get; } = kind;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (await ByReceiptAsync(intent, cancellationToken).ConfigureAwait(false))
        {
            LogSettledBy(logger, "receipt");
            return ReconciledOutcome.Committed;
        }
        if (intent.Expectation?.Deserialize<PaymentExpectation>(StateJson.Options) is not { NewestTransactionBefore: { } mark } expected)
        {
            return ReconciledOutcome.Unknown;
        }
        var history = await aria.GetAcctPaymentHistoryAsync(new GetAcctPaymentHistoryMRequest { AcctNo = intent.AccountNo, LimitRecords = HistoryRows }, cancellationToken).ConfigureAwait(false);
        if (!history.IsSuccess && !history.Error!.Is(AriaErrorCode.NoDataFound))
        {
            return ReconciledOutcome.Unknown;
        }
        var newer = (history.Value?.AcctPaymentHistory ?? []).Where(payment => payment.TransactionId > mark).ToList();
        LogSettledBy(logger, "history");
        if (newer.Exists(payment => payment.PaymentAmount == expected.Amount && (payment.PaymentMethodNo is null || payment.PaymentMethodNo == expected.PaymentMethodNo)))
        {
            return ReconciledOutcome.Committed;
        }
        // A full page of newer payments may hide ours further down: that proves nothing.
        return newer.Count >= HistoryRows ? ReconciledOutcome.Unknown : ReconciledOutcome.NotApplied;
    }

    /// <summary>True when Aria shows that something was done under this write's receipt id; false when it cannot say.</summary>
    private async Task<bool> ByReceiptAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        var actions = await aria.GetAllActionsByReceiptIdAsync(new GetAllActionsByReceiptIdMRequest { AcctNo = intent.AccountNo, ClientReceiptId = intent.Id }, cancellationToken)
            .ConfigureAwait(false);
        if (actions.IsSuccess && actions.Value!.ReceiptAction is { Count: > 0 })
        {
            return true;
        }
        // Unverified against Aria whether a payment is listed by action; the account's receipt list is asked too.
        var since = DateOnly.FromDateTime(intent.CreatedAt.UtcDateTime).AddDays(-1);
        var receipts = await aria.GetAllAcctReceiptIdsAsync(new GetAllAcctReceiptIdsMRequest
        {
            AcctNo = intent.AccountNo,
            StartDateRange = since,
            EndDateRange = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime).AddDays(1),
        }, cancellationToken).ConfigureAwait(false);
        return receipts.IsSuccess && (receipts.Value!.AcctReceipt ?? []).Exists(receipt => string.Equals(receipt.ClientReceiptId, intent.Id, StringComparison.Ordinal));
    }

    /// <summary>The newest payment on the account now (the mark the expectation keeps); null when Aria cannot say.</summary>
    public static async Task<long?> NewestPaymentAsync(IAriaClient aria, long accountNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        var history = await aria.GetAcctPaymentHistoryAsync(new GetAcctPaymentHistoryMRequest { AcctNo = accountNo, LimitRecords = HistoryRows }, cancellationToken).ConfigureAwait(false);
        if (!history.IsSuccess)
        {
            return history.Error!.Is(AriaErrorCode.NoDataFound) ? 0 : null;
        }
        return (history.Value!.AcctPaymentHistory ?? []).Select(payment => payment.TransactionId).Max() ?? 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A payment whose reply was lost was settled by reading its {Source}")]
    private static partial void LogSettledBy(ILogger logger, string source);
}
