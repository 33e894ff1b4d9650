using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;

namespace AriaBot.Plans.CancelPlan;

/// <summary>
/// <c>cancel_acct_plan_m</c> as a previewed change: the same request with <c>do_write</c> false, then true. The card shows
/// Aria's credit lines and totals; what else ends (the plans under it, the account) is the dialog's, read from the account.
/// </summary>
public sealed class CancelPlanChange(IAriaClient aria) : PlanChange<CancelAcctPlanMRequest, CancelAcctPlanMResponse>
{
    public const string ChangeKind = "cancelPlan";

    public override string Kind => ChangeKind;

    public override string AriaCall => "cancel_acct_plan_m";

    protected override Task<AriaResult<CancelAcctPlanMResponse>> SendAsync(CancelAcctPlanMRequest request, CancellationToken cancellationToken) =>
        aria.CancelAcctPlanAsync(request, cancellationToken);
}

/// <summary>What proves a cancellation: the instance leaves the active statuses.</summary>
public sealed record CancelPlanExpectation(long PlanInstanceNo, long? AssignmentDirective) : PlanExpectation;

/// <summary>
/// Proves whether a cancellation happened by reading the account: the instance is cancelled, terminated or pending
/// either (committed), or still active while the cancellation would have applied at once (not applied). One queued for
/// a later date — or sent under the client's default directive — looks like one never made, so it stays unknown.
/// </summary>
public sealed class CancelPlanReconciler(IAriaClient aria) : PlanReconciler<CancelPlanExpectation>(aria)
{
    public override string Kind => CancelPlanChange.ChangeKind;

    protected override ReconciledOutcome Judge(CancelPlanExpectation expected, IReadOnlyList<AccountPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var instance = plans.FirstOrDefault(plan => plan.PlanInstanceNo == expected.PlanInstanceNo);
        // -3 terminated, -2 cancelled, 2 pending cancellation, 3 pending termination (Aria's plan instance statuses).
        return instance?.StatusCd is -3 or -2 or 2 or 3 ? ReconciledOutcome.Committed
            : instance is { IsChangeable: true } && PlanChangeTiming.AppliesAtOnce(expected.AssignmentDirective) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
