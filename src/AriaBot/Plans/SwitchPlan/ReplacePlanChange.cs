using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;
using System.Text.Json.Serialization;

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
/// What proves a switch: the instance <see cref="PlanInstanceNo"/> carries <see cref="NewPlanNo"/>. Read from the request
/// itself, which is what the switch's write intent keeps as its expectation (it sets none of its own, so the
/// confirm turn stores the request): the names are the request's, and intents written before this type read alike.
/// </summary>
public sealed record SwitchPlanExpectation(
    [property: JsonPropertyName("plan_instance_no")] long? PlanInstanceNo,
    [property: JsonPropertyName("new_plan_no")] long? NewPlanNo,
    [property: JsonPropertyName("assignment_directive")] long? AssignmentDirective) : PlanExpectation;

/// <summary>
/// Proves whether a switch happened by reading the account: the instance now carries the new plan (committed) or
/// still the old one (not applied). A switch queued for a later date cannot be told apart from one that did not
/// happen by reading plans, so it stays unknown without asking Aria; like the other plan changes, one sent under the
/// client's default directive (none configured) that the account does not show is unknown too (see README.md).
/// </summary>
public sealed class ReplacePlanReconciler(IAriaClient aria) : PlanReconciler<SwitchPlanExpectation>(aria)
{
    public override string Kind => ReplacePlanChange.ChangeKind;

    protected override bool Provable(SwitchPlanExpectation expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return !AssignmentDirective.IsQueued(expected.AssignmentDirective);
    }

    protected override ReconciledOutcome Judge(SwitchPlanExpectation expected, IReadOnlyList<AccountPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var instance = plans.FirstOrDefault(plan => plan.PlanInstanceNo == expected.PlanInstanceNo);
        // An unchanged instance proves "not applied" only when the change was to apply at once: under the client's
        // default directive Aria may have queued it, and a wrong "didn't go through" invites a second switch.
        return instance?.PlanNo == expected.NewPlanNo ? ReconciledOutcome.Committed
            : instance is not null && PlanChangeTiming.AppliesAtOnce(expected.AssignmentDirective) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
    }
}
