using System.Text.Json;
using AriaBot.Changes;
using AriaBot.Plans.AddPlan;
using AriaBot.Plans.CancelPlan;
using AriaBot.Plans.ChangeUnits;
using AriaBot.Plans.SwitchPlan;
using Aria.Client.Models;
using Aria.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>
/// The reconcilers' rules, read from the sandbox's account: the change shows → committed; the account as before while
/// the change would have applied at once → not applied; anything else (a queued or client-default directive, an
/// unexpected state, no expectation) → unknown, which is never retried. A switch alone counts the client's default as
/// applying at once (Plans/SwitchPlan/README.md).
/// </summary>
public sealed class PlanReconcilerTests : IAsyncLifetime
{
    private const long Alice = 1000001;
    private const long Erin = 1000005;
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReconciledOutcome> ReconcileAsync(string kind, long accountNo, JsonElement? expectation) =>
        _host.Services.GetServices<IWriteReconciler>().Single(reconciler => reconciler.Kind == kind).ReconcileAsync(new WriteIntent
        {
            Id = "ab-test",
            Kind = kind,
            AccountNo = accountNo,
            ConversationKey = "webchat/convo1",
            CreatedAt = _host.Time.GetUtcNow(),
            Expectation = expectation,
        }, CancellationToken.None);

    private PlanInstance Erins(long planNo) => _host.Sandbox.PlanInstances(Erin).Single(instance => instance.PlanNo == planNo);

    [Fact]
    public async Task An_add_is_proven_by_a_new_instance_of_the_plan_under_the_parent()
    {
        var before = _host.Sandbox.PlanInstances(Alice);
        var master = before.Single();
        AddPlanExpectation Expect(long? directive) => new(23, master.PlanInstanceNo, [.. before.Select(instance => instance.PlanInstanceNo)], directive);

        Assert.Equal(ReconciledOutcome.NotApplied, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice, Expect(2).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice, Expect(null).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice, Expect(1).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice, null));

        _host.Sandbox.Write(state => state.PlanInstances.Add(new PlanInstance
        {
            PlanInstanceNo = 990_023,
            ClientPlanInstanceId = "PI-990023",
            AcctNo = Alice,
            PlanNo = 23,
            RateScheduleNo = 2301,
            ParentPlanInstanceNo = master.PlanInstanceNo,
            MasterPlanInstanceNo = master.PlanInstanceNo,
            PeriodStart = master.PeriodStart,
            NextBillDate = master.NextBillDate,
        }));
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice, Expect(null).ToJson()));
        // An instance that was there before proves nothing.
        Assert.Equal(ReconciledOutcome.NotApplied, await ReconcileAsync(AssignPlanChange.ChangeKind, Alice,
            new AddPlanExpectation(23, master.PlanInstanceNo, [.. before.Select(instance => instance.PlanInstanceNo), 990_023], 2).ToJson()));
    }

    [Fact]
    public async Task A_units_change_is_proven_by_the_new_number_and_disproven_by_the_old_one()
    {
        var storage = Erins(21);
        ChangeUnitsExpectation Expect(long? directive) => new(storage.PlanInstanceNo, 3, 5, directive);

        Assert.Equal(ReconciledOutcome.NotApplied, await ReconcileAsync(UpdateUnitsChange.ChangeKind, Erin, Expect(4).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(UpdateUnitsChange.ChangeKind, Erin, Expect(null).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(UpdateUnitsChange.ChangeKind, Erin, Expect(7).ToJson()));

        _host.Sandbox.Write(_ => storage.Units = 4);
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(UpdateUnitsChange.ChangeKind, Erin, Expect(2).ToJson()));
        _host.Sandbox.Write(_ => storage.Units = 5);
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(UpdateUnitsChange.ChangeKind, Erin, Expect(null).ToJson()));
    }

    [Fact]
    public async Task A_cancellation_is_proven_by_a_cancelled_or_pending_status()
    {
        var support = Erins(22);
        CancelPlanExpectation Expect(long? directive) => new(support.PlanInstanceNo, directive);

        Assert.Equal(ReconciledOutcome.NotApplied, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, Expect(3).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, Expect(null).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, Expect(8).ToJson()));

        _host.Sandbox.Write(_ => support.StatusCd = 2);
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, Expect(1).ToJson()));
        _host.Sandbox.Write(_ => support.StatusCd = -2);
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, Expect(2).ToJson()));
    }

    [Fact]
    public async Task A_switch_is_proven_by_the_new_plan_on_the_instance_read_from_the_stored_request()
    {
        var master = _host.Sandbox.PlanInstances(Alice).Single();
        // What the switch's write intent has always kept as its expectation: the request itself, receipt id included.
        JsonElement Stored(long? directive, long? instanceNo = null) => ChangeRequest.WithReceiptId(ChangeRequest.From(new ReplaceAcctPlanMRequest
        {
            AcctNo = Alice,
            PlanInstanceNo = instanceNo ?? master.PlanInstanceNo,
            NewPlanNo = 13,
            PlanUnits = 1,
            AssignmentDirective = directive,
        }), "ab-receipt");

        Assert.Equal(ReconciledOutcome.NotApplied, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(2)));
        // Under the client's default the rule may have queued it: an unchanged instance proves nothing.
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(null)));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(2, instanceNo: 990_001)));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, null));

        // A queued switch is unknown without asking Aria.
        _host.Sandbox.Calls.Clear();
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(AssignmentDirective.NextAnniversary)));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(AssignmentDirective.OnEffectiveDateNoProration)));
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "get_acct_plans_m");

        _host.Sandbox.Write(_ => master.PlanNo = 13);
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(null)));
        Assert.Equal(ReconciledOutcome.Committed, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, new SwitchPlanExpectation(master.PlanInstanceNo, 13, 2).ToJson()));
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(ReplacePlanChange.ChangeKind, Alice, Stored(AssignmentDirective.NextAnniversary)));
    }

    [Fact]
    public async Task Aria_unavailable_while_reconciling_proves_nothing()
    {
        _host.Sandbox.Faults.HttpStatusNext("get_acct_plans_m", 503, count: 10);
        var support = Erins(22);
        Assert.Equal(ReconciledOutcome.Unknown, await ReconcileAsync(CancelPlanChange.ChangeKind, Erin, new CancelPlanExpectation(support.PlanInstanceNo, 2).ToJson()));
    }
}
