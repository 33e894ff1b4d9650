using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Plans.ChangeUnits;

/// <summary><c>update_acct_plan_m</c> with <c>plan_units</c> as a previewed change: the same request with <c>do_write</c> false, then true.</summary>
public sealed class UpdateUnitsChange(IAriaClient aria, IWords words) : PlanChange<UpdateAcctPlanMRequest, UpdateAcctPlanMResponse>
{
    public const string ChangeKind = "updatePlanUnits";

    public override string Kind => ChangeKind;

    public override string AriaCall => "update_acct_plan_m";

    protected override Task<AriaResult<UpdateAcctPlanMResponse>> SendAsync(UpdateAcctPlanMRequest request, CancellationToken cancellationToken) =>
        aria.UpdateAcctPlanAsync(request, cancellationToken);

    protected override IReadOnlyList<string> Consequences(UpdateAcctPlanMResponse reply, PreviewContext context) => MonthlyAfter(reply, context, words);
}

/// <summary>What proves a units change: the instance's units were <see cref="From"/> when asked and should become <see cref="To"/>.</summary>
public sealed record ChangeUnitsExpectation(long PlanInstanceNo, decimal From, decimal To, long? AssignmentDirective) : PlanExpectation;

/// <summary>
/// Proves whether a units change happened by reading the account: the instance has the new units (committed), or
/// still the old ones while the change would have applied at once (not applied). Anything else — other units, the
/// instance gone, a change queued for later or sent under the client's default directive — stays unknown.
/// </summary>
public sealed class UpdateUnitsReconciler(IAriaClient aria) : PlanReconciler<ChangeUnitsExpectation>(aria)
{
    public override string Kind => UpdateUnitsChange.ChangeKind;

    protected override ReconciledOutcome Judge(ChangeUnitsExpectation expected, IReadOnlyList<AccountPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var instance = plans.FirstOrDefault(plan => plan.PlanInstanceNo == expected.PlanInstanceNo);
        return instance?.Units == expected.To ? ReconciledOutcome.Committed
            : instance?.Units == expected.From && PlanChangeTiming.AppliesAtOnce(expected.AssignmentDirective) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
