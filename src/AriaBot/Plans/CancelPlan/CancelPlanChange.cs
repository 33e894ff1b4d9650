using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Audit;
using AriaBot.Changes;
using BotRuntime.State;

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
public sealed record CancelPlanExpectation(long PlanInstanceNo, long? AssignmentDirective)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, StateJson.Options);

    public static CancelPlanExpectation? Read(JsonElement? json) => json?.Deserialize<CancelPlanExpectation>(StateJson.Options);
}

/// <summary>
/// Proves whether a cancellation happened by reading the account: the instance is cancelled, terminated or pending
/// either (committed), or still active while the cancellation would have applied at once (not applied). One queued for
/// a later date — or sent under the client's default directive — looks like one never made, so it stays unknown.
/// </summary>
public sealed class CancelPlanReconciler(IAriaClient aria) : IWriteReconciler
{
    public string Kind => CancelPlanChange.ChangeKind;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (CancelPlanExpectation.Read(intent.Expectation) is not { } expected)
        {
            return ReconciledOutcome.Unknown;
        }
        var plans = await AccountPlans.ReadAsync(aria, intent.AccountNo, cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return ReconciledOutcome.Unknown;
        }
        var instance = plans.Value.FirstOrDefault(plan => plan.PlanInstanceNo == expected.PlanInstanceNo);
        // -3 terminated, -2 cancelled, 2 pending cancellation, 3 pending termination (reference §2 statuses).
        return instance?.StatusCd is -3 or -2 or 2 or 3 ? ReconciledOutcome.Committed
            : instance is { IsChangeable: true } && PlanChangeTiming.AppliesAtOnce(expected.AssignmentDirective) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
