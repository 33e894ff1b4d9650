using AriaBot.Audit;
using AriaBot.Changes;
using AriaBot.Language;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Changes;

/// <summary>The write ledger and the reconciliation of writes whose reply was lost (invariant 3).</summary>
public sealed class WriteLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage _storage;
    private readonly StorageAuditLog _audit;
    private readonly StorageWriteLedger _intents;

    public WriteLedgerTests()
    {
        _storage = new MemoryStorage(_clock);
        _audit = new StorageAuditLog(_storage);
        _intents = new StorageWriteLedger(_storage, _clock);
    }

    private WriteIntent Intent(string id, string conversation = "test/convo1", string kind = "replacePlan") => new()
    {
        Id = id,
        Kind = kind,
        AccountNo = 1001,
        ConversationKey = conversation,
        CreatedAt = _clock.GetUtcNow(),
        Description = "switch from Standard to Premium",
        PreviewTotal = 14.00m,
        Currency = "USD",
    };

    [Fact]
    public async Task An_intent_is_recorded_once_and_settled_once()
    {
        Assert.True(await _intents.RecordPendingAsync(Intent("r1")));
        Assert.False(await _intents.RecordPendingAsync(Intent("r1")));
        Assert.Equal(["r1"], (await _intents.OpenForConversationAsync("test/convo1")).Select(i => i.Id));

        Assert.True(await _intents.TryCompleteAsync("r1", WriteIntentStatus.Committed, "ok", customerTold: true));
        Assert.False(await _intents.TryCompleteAsync("r1", WriteIntentStatus.NotApplied, "late", customerTold: true));
        Assert.Equal(WriteIntentStatus.Committed, (await _intents.GetAsync("r1"))!.Status);
        Assert.Empty(await _intents.OpenForConversationAsync("test/convo1"));
    }

    [Fact]
    public async Task A_reconciled_intent_stays_open_until_the_customer_is_told()
    {
        await _intents.RecordPendingAsync(Intent("r1"));
        await _intents.RecordPendingAsync(Intent("r2", conversation: "test/other"));
        await _intents.TryCompleteAsync("r1", WriteIntentStatus.Unknown, "reconciled", customerTold: false);
        Assert.Equal(["r1"], (await _intents.OpenForConversationAsync("test/convo1")).Select(i => i.Id));
        Assert.Equal(["r1", "r2"], (await _intents.AllOpenAsync()).Select(i => i.Id).Order());
        await _intents.MarkToldAsync("r1");
        Assert.Empty(await _intents.OpenForConversationAsync("test/convo1"));
    }

    private sealed class FixedReconciler(ReconciledOutcome outcome) : IWriteReconciler
    {
        public int Calls { get; private set; }
        public string Kind => "replacePlan";

        public Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(outcome);
        }
    }

    private WriteReconciliation Reconciliation(params IWriteReconciler[] reconcilers) =>
        new(_intents, reconcilers, _audit, TestWords.Shipped, _clock, NullLogger<WriteReconciliation>.Instance);

    [Theory]
    [InlineData(ReconciledOutcome.Committed, "went through", AuditOutcome.Committed)]
    [InlineData(ReconciledOutcome.NotApplied, "didn't go through", AuditOutcome.Failed)]
    [InlineData(ReconciledOutcome.Unknown, "couldn't confirm", AuditOutcome.Unknown)]
    public async Task A_pending_write_is_reconciled_before_anything_else_and_the_customer_hears_the_truth(ReconciledOutcome outcome, string said, AuditOutcome audited)
    {
        await _intents.RecordPendingAsync(Intent("r1"));
        var reconciler = new FixedReconciler(outcome);
        var reconciliation = Reconciliation(reconciler);
        var adapter = new TestAdapter();
        await new TestFlow(adapter, async (turn, token) => await reconciliation.SettleConversationAsync(turn, token))
            .Send("hello")
            .AssertReply(reply => Assert.Contains(said, reply.Text, StringComparison.Ordinal))
            .Send("hello again")
            .AssertNoReply()
            .StartTestAsync();

        Assert.Equal(1, reconciler.Calls);
        var row = Assert.Single(await _audit.ReadAsync(1001));
        Assert.Equal(audited, row.Outcome);
        Assert.Equal("r1", row.ReceiptId);
    }

    [Fact]
    public async Task Two_reconciliations_of_one_write_leave_one_audit_row()
    {
        await _intents.RecordPendingAsync(Intent("r1"));
        var reconciliation = Reconciliation(new FixedReconciler(ReconciledOutcome.Committed));
        var intent = (await _intents.GetAsync("r1"))!;
        await Task.WhenAll(reconciliation.ReconcileAsync(intent, default), reconciliation.ReconcileAsync(intent, default));
        Assert.Single(await _audit.ReadAsync(1001));
    }

    [Fact]
    public async Task A_write_kind_without_a_reconciler_is_unknown_never_retried()
    {
        await _intents.RecordPendingAsync(Intent("r1", kind: "somethingNew"));
        var settled = await Reconciliation().ReconcileAsync((await _intents.GetAsync("r1"))!, default);
        Assert.Equal(WriteIntentStatus.Unknown, settled.Status);
    }
}
