using AriaBot.Understanding;
using Microsoft.Extensions.Options;

namespace AriaBot.Catalog;

/// <summary>
/// The names customers may use for things they can buy, for pre-filling requests. Only what the customer may be
/// offered is included, so a hidden plan's name matches nothing — the same as a plan that does not exist.
/// </summary>
public interface IUnderstandingCatalog
{
    Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken);
}

/// <summary>One kind of nameable thing (plans, inventory items); <see cref="UnderstandingCatalog"/> joins them all.</summary>
public interface IUnderstandingCatalogSource
{
    Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Every registered source in one list, each entry tagged with its <see cref="NamedItem.Kind"/> so a use case
/// takes only its own kind ("order 2 routers" pre-fills an order, never a plan switch).
/// </summary>
/// <remarks>Each entry also gets its names per locale from <see cref="CatalogOptions.Synonyms"/> (by id, any case).</remarks>
public sealed class UnderstandingCatalog(IEnumerable<IUnderstandingCatalogSource> sources, IOptionsMonitor<CatalogOptions>? options = null) : IUnderstandingCatalog
{
    public async Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(sources.Select(source => source.ItemsAsync(cancellationToken))).ConfigureAwait(false);
        var synonyms = options?.CurrentValue.Synonyms ?? [];
        return [.. lists.SelectMany(list => list).Select(item => WithLocalNames(item, synonyms))];
    }

    private static NamedItem WithLocalNames(NamedItem item, Dictionary<string, Dictionary<string, List<string>>> synonyms)
    {
        var local = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (locale, byId) in synonyms)
        {
            var names = byId.Where(p => string.Equals(p.Key, item.Id, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value).ToList();
            if (names.Count > 0)
            {
                local[locale] = names;
            }
        }

        return local.Count == 0 ? item : item with { SynonymsByLocale = local };
    }
}

public sealed class VisiblePlansCatalog(IPlanCatalog plans) : IUnderstandingCatalogSource
{
    public const string PlanKind = NamedItem.PlanKind;

    /// <summary>The <c>client_plan_id</c> of the one plan the message names, or null (an item's name is not a plan's).</summary>
    public static string? PlanIdIn(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return understanding.NamedItem?.Item is { Kind: PlanKind } plan ? plan.Id : null;
    }

    public async Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken)
    {
        var visible = await plans.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        // Without a catalog the request is still understood, just not pre-filled.
        return visible.IsSuccess
            ? [.. visible.Value.Select(plan => new NamedItem(plan.ClientPlanId, plan.Name, [plan.ClientPlanId.Replace('_', ' ')]) { Kind = PlanKind, Description = plan.Description })]
            : [];
    }
}

/// <summary>
/// The inventory items customers may order, by label, by each word of the label and by SKU; hidden or inactive
/// items match nothing.
/// </summary>
public sealed class VisibleItemsCatalog(IItemCatalog items) : IUnderstandingCatalogSource
{
    public const string ItemKind = NamedItem.ItemKind;

    /// <summary>The SKU of the one inventory item the message names, or null (a plan's name is not an item's).</summary>
    public static string? SkuIn(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return understanding.NamedItem?.Item is { Kind: ItemKind } item ? item.Id : null;
    }

    public async Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken)
    {
        var visible = await items.VisibleItemsAsync(cancellationToken).ConfigureAwait(false);
        return visible.IsSuccess
            ? [.. visible.Value.Select(item => new NamedItem(item.ClientSku, item.Label, Synonyms(item)) { Kind = ItemKind, Description = item.Description })]
            : [];
    }

    /// <summary>
    /// Customers name items by one word ("2 routers" for "Wi-Fi 6 Router"), which scores too low against the whole
    /// label, so each word of the label is a name of its own (hyphens dropped: "wifi"; numbers and one- or two-letter
    /// words left out, as they name nothing alone). A word two items share matches both, and the understander then
    /// reports the request as ambiguous instead of guessing.
    /// </summary>
    private static List<string> Synonyms(CatalogItem item)
    {
        var words = item.Label.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(word => word.Replace("-", string.Empty, StringComparison.Ordinal))
            .Where(word => word.Length >= 3 && word.All(char.IsLetter));
        return [.. words.Append(item.ClientSku).Append(item.ClientSku.Replace('-', ' ')).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
