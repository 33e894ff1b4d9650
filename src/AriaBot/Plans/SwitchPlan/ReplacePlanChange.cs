using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;
using System.Text.Json;

namespace AriaBot.Plans.SwitchPlan;

/// <summary><c>replace_acct_plan_m</c> as a previewed change: the same request with <c>do_write</c> false, then true.</summary>
public sealed class ReplacePlanChange(IAriaClient aria, IWords words) : PlanChange<ReplaceAcctPlanMRequest, ReplaceAcctPlanMResponse>
{
    public const string ChangeKind = "replacePlan";

    public override string Kind => ChangeKind;

    public override string AriaCall => "replace_acct_plan_m";

    protected override Task<AriaResult<ReplaceAcctPlanMResponse>> SendAsync(ReplaceAcctPlanMRequest request, CancellationToken cancellationToken) =>
        aria.ReplaceAcctPlanAsync(request, cancellationToken);

    /// <summary>Aria credits the supplemental plans a master switch ends; say so in words, not only as a credit line.</summary>
    protected override IReadOnlyList<string> Consequences(ReplaceAcctPlanMResponse reply, PreviewContext context) =>
        [.. (reply.AcctPlanLineItems ?? [])
            .Where(line => line.LineAmount < 0 && line.PlanNo is { } planNo && context.AddOns.ContainsKey(planNo))
            .Select(line => context.AddOns[line.PlanNo!.Value]).Distinct()
            .Select(name => words.Format(SwitchPlanWords.AddOnEnds, context.Locale, new { name }))];
}
/// <summary>
/// Proves whether a switch happened by reading the account: the instance now carries the new plan (committed) or
/// still the old one (not applied). A switch queued for a later date (directives 1, 7–9) cannot be told apart from
/// one that did not happen by reading plans, so it stays unknown.
/// </summary>
public sealed class ReplacePlanReconciler(IAriaClient aria) : IWriteReconciler
{
    public string Kind => ReplacePlanChange.ChangeKind;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Expectation is not { } expectation)
        {
            return ReconciledOutcome.Unknown;
        }
        var request = ChangeRequest.To<ReplaceAcctPlanMRequest>(expectation);
        if (request.AssignmentDirective is 1 or 7 or 8 or 9)
        {
            return ReconciledOutcome.Unknown;
        }
        var plans = await AccountPlans.ReadAsync(aria, intent.AccountNo, cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return ReconciledOutcome.Unknown;
        }
        var instance = plans.Value.FirstOrDefault(plan => plan.PlanInstanceNo == request.PlanInstanceNo);
        return instance?.PlanNo == request.NewPlanNo ? ReconciledOutcome.Committed
            : instance is not null ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
