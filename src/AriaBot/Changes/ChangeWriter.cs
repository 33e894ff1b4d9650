using System.Text.Json;
using Aria.Client;
using AriaBot.Audit;
using AriaBot.Language;
using AriaBot.Telemetry;
using BotRuntime.Builder;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace AriaBot.Changes;

/// <summary>
/// One write to Aria, as <see cref="ChangeWriter"/> needs it: what to record before the call, how to send it, and how
/// to recognise it afterwards. <see cref="ForPreviewedChange"/> makes it for a change Aria previewed; a write that has
/// no <c>do_write</c> preview in Aria (a payment) builds one directly, with its own <see cref="SendAsync"/> and the
/// exact request it showed the customer as <see cref="Request"/>.
/// </summary>
public sealed record WriteOrder
{
    /// <summary>The idempotency key made with the preview (Aria's <c>client_receipt_id</c>); the ledger record's id.</summary>
    public required string ReceiptId { get; init; }

    /// <summary>What kind of write; chooses the <see cref="IWriteReconciler"/> that reads the account if the reply is lost.</summary>
    public required string Kind { get; init; }

    /// <summary>The Aria call, for the audit row.</summary>
    public required string AriaCall { get; init; }

    /// <summary>The account the session was just validated for (invariant 1).</summary>
    public required long AccountNo { get; init; }

    /// <summary>The exact request sent; its hash is kept in the ledger.</summary>
    public required JsonElement Request { get; init; }

    /// <summary>What the reconciler needs to recognise the write; default <see cref="Request"/>.</summary>
    public JsonElement? Expectation { get; init; }

    /// <summary>A short plain description for the audit log and a later "your earlier request…" message.</summary>
    public required string Description { get; init; }

    /// <summary>The total the customer confirmed, and its currency, for the audit row.</summary>
    public decimal? ShownTotal { get; init; }

    public string? Currency { get; init; }

    /// <summary>Sends the write to Aria, once.</summary>
    public required Func<CancellationToken, Task<AriaResult<ChangeApplied>>> SendAsync { get; init; }

    /// <summary>True when a refusal may mean an earlier attempt of this very write committed (see <see cref="IPreviewedChange.MayHaveBeenApplied"/>).</summary>
    public Func<AriaError, bool> MayHaveBeenApplied { get; init; } = static _ => false;

    /// <summary>The write of a change the customer saw previewed: the identical request, now with <c>do_write=true</c>.</summary>
    public static WriteOrder ForPreviewedChange(IPreviewedChange change, JsonElement request, string receiptId, long accountNo, string description,
        JsonElement? expectation, PreviewSummary? shown)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new WriteOrder
        {
            ReceiptId = receiptId,
            Kind = change.Kind,
            AriaCall = change.AriaCall,
            AccountNo = accountNo,
            Request = request,
            Expectation = expectation,
            Description = description,
            ShownTotal = shown?.Total,
            Currency = shown?.Currency,
            SendAsync = cancellationToken => change.WriteAsync(request, cancellationToken),
            MayHaveBeenApplied = change.MayHaveBeenApplied,
        };
    }
}

/// <summary>How a write ended, as far as <see cref="ChangeWriter"/> settled it.</summary>
/// <summary>
/// Left in the turn state by a write Aria applied in this turn, for what follows the turn (the notifications offer);
/// never stored.
/// </summary>
public sealed record AppliedWrite(string Kind);

public enum WriteEnding
{
    /// <summary>Aria applied it just now; the customer is yet to hear it.</summary>
    Applied,
    /// <summary>Aria refused it (or was never reached): nothing changed. <see cref="WriteResult.Refusal"/> says why.</summary>
    Refused,
    /// <summary>The reply was lost, or the record was pending from before: the account was read to settle it.</summary>
    Reconciled,
    /// <summary>Already settled before this attempt (a "yes" sent again); nothing was sent.</summary>
    SettledBefore,
}

/// <summary>The ledger record as it now stands, and what the customer needs to hear about it.</summary>
public sealed record WriteResult(WriteEnding Ending, WriteIntent Intent, string? Detail = null, AriaError? Refusal = null);

/// <summary>
/// Writes to Aria exactly once (invariant 3). The write is recorded as pending in the <see cref="IWriteLedger"/>
/// under its receipt id before Aria hears of it; its outcome is then settled once — applied, refused, or, when the
/// reply is lost, proven by reading the account (<see cref="WriteReconciliation"/>), never by sending it again. A
/// receipt id already in the ledger is never sent twice. Every write leaves exactly one audit row. Callers check the
/// session first (a validation is the last Aria call before the write) and word the outcome for the customer.
/// </summary>
public sealed partial class ChangeWriter(
    IWriteLedger ledger,
    WriteReconciliation reconciliation,
    IAuditLog audit,
    IWords words,
    TimeProvider timeProvider,
    ILogger<ChangeWriter> logger,
    IEnumerable<IWriteCommittedObserver>? committedObservers = null)
{
    /// <summary>After this long without Aria's answer, the customer hears that it is still in progress (channels give up after ~15 s).</summary>
    public static readonly TimeSpan SlowWriteNotice = TimeSpan.FromSeconds(8);

    /// <summary>The ledger record of an earlier attempt with this receipt id, if any.</summary>
    public Task<WriteIntent?> FindAsync(string receiptId, CancellationToken cancellationToken) => ledger.GetAsync(receiptId, cancellationToken);

    /// <summary>The customer has heard how it ended: the record leaves the conversation's open list.</summary>
    public Task MarkToldAsync(string receiptId, CancellationToken cancellationToken) => ledger.MarkToldAsync(receiptId, cancellationToken);

    /// <summary>An earlier attempt's record: reconciled first when still pending, otherwise reported as it stands.</summary>
    public async Task<WriteResult> SettleEarlierAsync(WriteIntent earlier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return earlier.Status == WriteIntentStatus.Pending
            ? new WriteResult(WriteEnding.Reconciled, await reconciliation.ReconcileAsync(earlier, cancellationToken).ConfigureAwait(false))
            : new WriteResult(WriteEnding.SettledBefore, earlier);
    }

    /// <summary>Records the write as pending, sends it once, and settles its outcome with one audit row.</summary>
    public async Task<WriteResult> WriteOnceAsync(ITurnContext turn, WriteOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(order);

        // Invariant 3: the intent is durable before Aria hears of the write.
        var intent = new WriteIntent
        {
            Id = order.ReceiptId,
            Kind = order.Kind,
            AccountNo = order.AccountNo,
            ConversationKey = turn.Activity.ConversationKey,
            CreatedAt = timeProvider.GetUtcNow(),
            RequestHash = ChangeRequest.Hash(order.Request),
            Expectation = order.Expectation ?? order.Request,
            Description = order.Description,
            PreviewTotal = order.ShownTotal,
            Currency = order.Currency,
            ConfirmationActivityId = turn.Activity.Id,
        };
        if (!await ledger.RecordPendingAsync(intent, turn, cancellationToken).ConfigureAwait(false))
        {
            return await SettleEarlierAsync((await ledger.GetAsync(order.ReceiptId, cancellationToken).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
        }

        // A turn that stalled past its conversation lease (several instances over PostgreSQL) and was taken over must
        // not send: the new holder settles this pending record by reading the account, and a write sent after that
        // would contradict what the customer was told. One round trip, which also extends the lease for the call.
        if (!await TurnFence.ConfirmHeldAsync(cancellationToken).ConfigureAwait(false))
        {
            LogLeaseLost(logger, order.Kind);
            throw new LeaseLostException("The conversation's lease was lost before the write was sent; nothing went to Aria and the pending record is reconciled by the next turn.");
        }
        var write = order.SendAsync(cancellationToken);
        if (await Task.WhenAny(write, Task.Delay(SlowWriteNotice, timeProvider, cancellationToken)).ConfigureAwait(false) != write)
        {
            await turn.SendActivityAsync(words.Format(ChangeWords.StillWorking, turn.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var result = await write.ConfigureAwait(false);

        if (result.IsSuccess)
        {
            await ledger.TryCompleteAsync(intent.Id, WriteIntentStatus.Committed, result.Value.Detail, customerTold: true, cancellationToken).ConfigureAwait(false);
            await AuditAsync(turn, order, intent, AuditOutcome.Committed, null, result.Value.Detail, cancellationToken).ConfigureAwait(false);
            turn.TurnState.Set(new AppliedWrite(order.Kind));
            var committed = intent with { Status = WriteIntentStatus.Committed };
            await WriteCommittedObservers.NotifyAsync(committedObservers ?? [], committed, logger, cancellationToken).ConfigureAwait(false);
            return new WriteResult(WriteEnding.Applied, committed, result.Value.Detail);
        }

        var error = result.Error;
        if (error.OutcomeUnknown || error.LikelyCommittedByEarlierAttempt || error.IsReceiptAlreadyUsed || order.MayHaveBeenApplied(error))
        {
            // The reply was lost (or our own retry found the receipt used): read the account to learn the truth.
            LogOutcomeUnknown(logger, order.Kind);
            return new WriteResult(WriteEnding.Reconciled, await reconciliation.ReconcileAsync(intent, cancellationToken).ConfigureAwait(false));
        }

        // Aria refused (or was never reached): nothing changed.
        await ledger.TryCompleteAsync(intent.Id, WriteIntentStatus.NotApplied, $"aria {error.Code}", customerTold: true, cancellationToken).ConfigureAwait(false);
        await AuditAsync(turn, order, intent, error.IsUnavailable ? AuditOutcome.Failed : AuditOutcome.Rejected, error.Kind == AriaErrorKind.Aria ? error.Code : null, null, cancellationToken)
            .ConfigureAwait(false);
        return new WriteResult(WriteEnding.Refused, intent with { Status = WriteIntentStatus.NotApplied }, Refusal: error);
    }

    private Task AuditAsync(ITurnContext turn, WriteOrder order, WriteIntent intent, AuditOutcome outcome, long? code, string? detail, CancellationToken cancellationToken)
    {
        // Counted where the single audit row is written, so the metric and the audit trail agree.
        AssistantTelemetry.RecordWrite(order.Kind, outcome.ToString());
        return audit.AppendAsync(new AuditEntry
        {
            Id = intent.Id,
            At = timeProvider.GetUtcNow(),
            AccountNo = intent.AccountNo,
            Call = order.AriaCall,
            Outcome = outcome,
            ChannelId = turn.Activity.ChannelId,
            ConversationId = turn.Activity.Conversation?.Id,
            PreviewTotal = intent.PreviewTotal,
            Currency = intent.Currency,
            ConfirmationActivityId = intent.ConfirmationActivityId,
            ReceiptId = intent.Id,
            AriaErrorCode = code,
            Detail = detail is null ? intent.Description : $"{intent.Description}: {detail}",
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} write was not sent: this turn lost its conversation lease to another turn, which reconciles the pending record")]
    private static partial void LogLeaseLost(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} write's reply was lost; reconciling by reading the account")]
    private static partial void LogOutcomeUnknown(ILogger logger, string kind);
}
