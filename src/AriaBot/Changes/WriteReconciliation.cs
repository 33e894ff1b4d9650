using AriaBot.Audit;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Telemetry;
using BotRuntime.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AriaBot.Changes;

/// <summary>What reading the account proved about a write whose reply never arrived.</summary>
public enum ReconciledOutcome
{
    Committed,
    NotApplied,
    /// <summary>Could not be proven either way (Aria unavailable, or the account does not tell).</summary>
    Unknown,
}

/// <summary>Proves, by reading the account, whether one kind of write happened. One per write kind.</summary>
public interface IWriteReconciler
{
    string Kind { get; }

    Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken);
}

/// <summary>
/// Settles writes left pending (a crash, a lost reply) before anything else happens in their conversation, and
/// tells the customer the truth: done, not done, or unknown — never retried, since retrying an unproven write is
/// how customers get charged twice.
/// </summary>
public sealed partial class WriteReconciliation(
    IWriteLedger intents,
    IEnumerable<IWriteReconciler> reconcilers,
    IAuditLog audit,
    IWords words,
    TimeProvider timeProvider,
    ILogger<WriteReconciliation> logger,
    IEnumerable<IWriteCommittedObserver>? committedObservers = null)
{
    /// <summary>Reconciles and reports this conversation's open intents; true when the customer was told something.</summary>
    public async Task<bool> SettleConversationAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var open = await intents.OpenForTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var told = false;
        foreach (var intent in open)
        {
            var settled = intent.Status == WriteIntentStatus.Pending ? await ReconcileAsync(intent, cancellationToken).ConfigureAwait(false) : intent;
            var key = settled.Status switch
            {
                WriteIntentStatus.Committed => ShellWords.EarlierRequestDone,
                WriteIntentStatus.NotApplied => ShellWords.EarlierRequestNotDone,
                _ => ShellWords.EarlierRequestUnknown,
            };
            await turnContext.SendActivityAsync(words.Format(key, turnContext.Activity.Locale, new { description = settled.Description ?? string.Empty }), cancellationToken: cancellationToken).ConfigureAwait(false);
            await intents.MarkToldAsync(settled.Id, cancellationToken).ConfigureAwait(false);
            told = true;
        }
        return told;
    }

    /// <summary>Reconciles one pending intent, records its single audit row, and returns it settled (not yet told).</summary>
    public async Task<WriteIntent> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var reconciler = reconcilers.FirstOrDefault(candidate => candidate.Kind == intent.Kind);
        ReconciledOutcome outcome;
        try
        {
            outcome = reconciler is null ? ReconciledOutcome.Unknown : await reconciler.ReconcileAsync(intent, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A reconciler that fails proves nothing: the outcome stays unknown and nothing is retried.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogReconcilerFailed(logger, intent.Kind, exception);
            outcome = ReconciledOutcome.Unknown;
        }
        var status = outcome switch
        {
            ReconciledOutcome.Committed => WriteIntentStatus.Committed,
            ReconciledOutcome.NotApplied => WriteIntentStatus.NotApplied,
            _ => WriteIntentStatus.Unknown,
        };
        if (!await intents.TryCompleteAsync(intent.Id, status, $"reconciled: {outcome}", customerTold: false, cancellationToken).ConfigureAwait(false))
        {
            // Settled meanwhile by someone else, who also wrote its audit row.
            return (await intents.GetAsync(intent.Id, cancellationToken).ConfigureAwait(false))!;
        }
        LogReconciled(logger, intent.Kind, status);
        AssistantTelemetry.RecordReconciliation(intent.Kind, status.ToString());
        var separator = intent.ConversationKey.IndexOf('/', StringComparison.Ordinal);
        await audit.AppendAsync(new AuditEntry
        {
            Id = intent.Id,
            At = timeProvider.GetUtcNow(),
            AccountNo = intent.AccountNo,
            Call = intent.Kind,
            Outcome = status switch
            {
                WriteIntentStatus.Committed => AuditOutcome.Committed,
                WriteIntentStatus.NotApplied => AuditOutcome.Failed,
                _ => AuditOutcome.Unknown,
            },
            ChannelId = separator > 0 ? intent.ConversationKey[..separator] : null,
            ConversationId = separator > 0 ? intent.ConversationKey[(separator + 1)..] : intent.ConversationKey,
            PreviewTotal = intent.PreviewTotal,
            Currency = intent.Currency,
            ConfirmationActivityId = intent.ConfirmationActivityId,
            ReceiptId = intent.Id,
            Detail = $"{intent.Description} (reconciled after the reply was lost)",
        }, cancellationToken).ConfigureAwait(false);
        var settled = (await intents.GetAsync(intent.Id, cancellationToken).ConfigureAwait(false))!;
        if (status == WriteIntentStatus.Committed)
        {
            // Proven done only now: what follows a write (the old address told) follows it here too.
            await WriteCommittedObservers.NotifyAsync(committedObservers ?? [], settled, logger, cancellationToken).ConfigureAwait(false);
        }
        return settled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling a {Kind} write failed; its outcome stays unknown")]
    private static partial void LogReconcilerFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled a pending {Kind} write: {Status}")]
    private static partial void LogReconciled(ILogger logger, string kind, WriteIntentStatus status);
}

/// <summary>At start-up, settles writes a previous process left pending; their customers are told on their next turn.</summary>
internal sealed partial class WriteReconciliationAtStartup(IWriteLedger intents, WriteReconciliation reconciliation, ILogger<WriteReconciliationAtStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var intent in await intents.AllOpenAsync(stoppingToken).ConfigureAwait(false))
            {
                if (intent.Status == WriteIntentStatus.Pending)
                {
                    await reconciliation.ReconcileAsync(intent, stoppingToken).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031 // The sweep is repeated per conversation on its next turn; a failure here must not stop the host.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogSweepFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up sweep of pending writes failed; each conversation settles its own on its next turn")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
