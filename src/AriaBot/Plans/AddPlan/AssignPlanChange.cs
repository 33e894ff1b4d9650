using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Plans.AddPlan;

/// <summary><c>assign_acct_plan_m</c> as a previewed change: the same request with <c>do_write</c> false, then true.</summary>
public sealed class AssignPlanChange(IAriaClient aria, IWords words) : PlanChange<AssignAcctPlanMRequest, AssignAcctPlanMResponse>
{
    public const string ChangeKind = "assignPlan";

    public override string Kind => ChangeKind;

    public override string AriaCall => "assign_acct_plan_m";

    protected override Task<AriaResult<AssignAcctPlanMResponse>> SendAsync(AssignAcctPlanMRequest request, CancellationToken cancellationToken) =>
        aria.AssignAcctPlanAsync(request, cancellationToken);

    protected override IReadOnlyList<string> Consequences(AssignAcctPlanMResponse reply, PreviewContext context) => MonthlyAfter(reply, context, words);
}

/// <summary>
/// What proves an add happened: an instance of <see cref="PlanNo"/> under <see cref="ParentPlanInstanceNo"/> whose
/// number is not among <see cref="InstancesBefore"/> (the account's instances when the customer chose the add-on).
/// </summary>
public sealed record AddPlanExpectation(long PlanNo, long ParentPlanInstanceNo, IReadOnlyList<long> InstancesBefore, long? AssignmentDirective) : PlanExpectation;

/// <summary>
/// Proves whether an add happened by reading the account: a new instance of the plan under that parent (committed),
/// or none while the change would have applied at once (not applied). An add queued for a later date — or sent under
/// the client's default directive, which may queue it — cannot be told apart from one never made, so it stays unknown.
/// </summary>
public sealed class AssignPlanReconciler(IAriaClient aria) : PlanReconciler<AddPlanExpectation>(aria)
{
    public override string Kind => AssignPlanChange.ChangeKind;

    protected override ReconciledOutcome Judge(AddPlanExpectation expected, IReadOnlyList<AccountPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var added = plans.Any(plan => plan.PlanNo == expected.PlanNo
            && plan.ParentPlanInstanceNo == expected.ParentPlanInstanceNo
            && !expected.InstancesBefore.Contains(plan.PlanInstanceNo));
        return added ? ReconciledOutcome.Committed
            : PlanChangeTiming.AppliesAtOnce(expected.AssignmentDirective) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
