using AriaBot.Catalog;
using AriaBot.Understanding;

namespace AriaBot.Shell;

/// <summary>
/// The names customers may use for things they can buy, for pre-filling requests. Only what the customer may be
/// offered is included, so a hidden plan's name matches nothing — the same as a plan that does not exist.
/// </summary>
public interface IUnderstandingCatalogue
{
    Task<IReadOnlyList<CatalogueItem>> ItemsAsync(CancellationToken cancellationToken);
}

public sealed class VisiblePlansCatalogue(IPlanCatalog plans) : IUnderstandingCatalogue
{
    public const string PlanKind = "plan";

    public async Task<IReadOnlyList<CatalogueItem>> ItemsAsync(CancellationToken cancellationToken)
    {
        var visible = await plans.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        // Without a catalogue the request is still understood, just not pre-filled.
        return visible.IsSuccess
            ? [.. visible.Value.Select(plan => new CatalogueItem(plan.ClientPlanId, plan.Name, [plan.ClientPlanId.Replace('_', ' ')]) { Kind = PlanKind })]
            : [];
    }
}
