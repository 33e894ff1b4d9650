using Aria.Client;
using AriaBot.Catalog;

namespace AriaBot.Plans;

/// <summary>
/// The plan instances a task on one existing plan may act on (change units, cancel): the customer's active instances
/// of plans they may see — main plans and add-ons — narrowed to the plan they named when it is on the account.
/// A plan the operator hides is never offered (a person handles it), and since the understander only knows visible
/// plans, its name never arrives here.
/// </summary>
/// <param name="Plans">Everything on the account, as Aria returned it (a card may need the rest, e.g. what a cancel cascades to).</param>
/// <param name="Offer">What to offer: the candidates, or the named plan's instances. Empty when there is nothing to act on.</param>
/// <param name="NamedButAbsent">A visible plan the customer named that the account does not have: say so before the list.</param>
public sealed record InstanceOffer(IReadOnlyList<AccountPlan> Plans, IReadOnlyList<AccountPlan> Offer, CatalogPlan? NamedButAbsent)
{
    public static async Task<AriaResult<InstanceOffer>> ReadAsync(IAriaClient aria, IPlanCatalog catalog, long accountNo, string? namedPlanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var plans = await AccountPlans.ReadAsync(aria, accountNo, cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return AriaResult<InstanceOffer>.Failure(plans.Error!);
        }
        var visible = await catalog.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        if (!visible.IsSuccess)
        {
            return AriaResult<InstanceOffer>.Failure(visible.Error!);
        }
        var candidates = plans.Value!.Where(plan => plan.IsChangeable && visible.Value!.Any(shown => shown.PlanNo == plan.PlanNo)).ToList();
        if (candidates.Count > 0 && namedPlanId is not null
            && visible.Value!.FirstOrDefault(plan => string.Equals(plan.ClientPlanId, namedPlanId, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            var matching = candidates.Where(plan => plan.PlanNo == named.PlanNo).ToList();
            return AriaResult<InstanceOffer>.Success(matching.Count == 0
                ? new InstanceOffer(plans.Value!, candidates, named)
                : new InstanceOffer(plans.Value!, matching, null));
        }
        return AriaResult<InstanceOffer>.Success(new InstanceOffer(plans.Value!, candidates, null));
    }
}
