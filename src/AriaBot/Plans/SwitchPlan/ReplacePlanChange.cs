using Aria.Client;
using Aria.Client.Models;
using AriaBot.Audit;
using AriaBot.Changes;
using AriaBot.Language;
using System.Text.Json;

namespace AriaBot.Plans.SwitchPlan;

/// <summary><c>replace_acct_plan_m</c> as a previewed change: the same request with <c>do_write</c> false, then true.</summary>
public sealed class ReplacePlanChange(IAriaClient aria, IWords words) : IPreviewedChange
{
    public const string ChangeKind = "replacePlan";

    public string Kind => ChangeKind;

    public string AriaCall => "replace_acct_plan_m";

    public async Task<AriaResult<PreviewSummary>> PreviewAsync(JsonElement request, PreviewContext context, CancellationToken cancellationToken)
    {
        var typed = ChangeRequest.To<ReplaceAcctPlanMRequest>(request);
        typed.DoWrite = false;
        var reply = await aria.ReplaceAcctPlanAsync(typed, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return AriaResult<PreviewSummary>.Failure(reply.Error);
        }
        // Aria credits the supplemental plans a master switch ends; say so in words, not only as a credit line.
        var ending = (reply.Value.AcctPlanLineItems ?? [])
            .Where(line => line.LineAmount < 0 && line.PlanNo is { } planNo && context.AddOns.ContainsKey(planNo))
            .Select(line => context.AddOns[line.PlanNo!.Value]).Distinct()
            .Select(name => words.Format(SwitchPlanWords.AddOnEnds, context.Locale, new { name }));
        var summary = PlanChangeSummary.From(reply.Value, context.Currency, context.Effective, context.Locale);
        return AriaResult<PreviewSummary>.Success(summary with { Consequences = [.. ending] });
    }

    public async Task<AriaResult<ChangeApplied>> WriteAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var typed = ChangeRequest.To<ReplaceAcctPlanMRequest>(request);
        typed.DoWrite = true;
        var reply = await aria.ReplaceAcctPlanAsync(typed, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess
            ? AriaResult<ChangeApplied>.Success(new ChangeApplied(reply.Value.InvoiceNo is { } invoice ? $"invoice {invoice}" : null))
            : AriaResult<ChangeApplied>.Failure(reply.Error);
    }

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
