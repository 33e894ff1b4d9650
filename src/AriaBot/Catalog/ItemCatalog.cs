using System.Globalization;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.SelfService;
using Microsoft.Extensions.Options;

namespace AriaBot.Catalog;

/// <summary>An inventory item customers may order, with its unit price per currency (ISO code, upper case).</summary>
public sealed record CatalogItem(long ItemNo, string ClientSku, string Label, string? Description, IReadOnlyDictionary<string, decimal> UnitPrices)
{
    /// <summary>The price of one unit in <paramref name="currency"/>, or null when the item is not sold in it.</summary>
    public decimal? UnitPriceIn(string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return UnitPrices.TryGetValue(currency.ToUpperInvariant(), out var price) ? price : null;
    }
}

/// <summary>The inventory items customers may be offered: active in Aria, and not on the operator's hidden list.</summary>
public interface IItemCatalog
{
    Task<AriaResult<IReadOnlyList<CatalogItem>>> VisibleItemsAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// <c>get_client_items_all_m</c>, cached for <see cref="CatalogOptions.CacheFor"/> like <see cref="PlanCatalog"/>. If
/// Aria cannot be read when the cache is due, the last catalog is used rather than failing the customer's request.
/// The hidden list is applied on every read, so changing it takes effect without waiting for the cache.
/// </summary>
public sealed class ItemCatalog(IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService, IOptionsMonitor<CatalogOptions> options, TimeProvider timeProvider) : IItemCatalog
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<AllClientItemDetail>? _items;
    private DateTimeOffset _readAt;

    public async Task<AriaResult<IReadOnlyList<CatalogItem>>> VisibleItemsAsync(CancellationToken cancellationToken = default)
    {
        var items = _items;
        if (items is null || timeProvider.GetUtcNow() - _readAt >= options.CurrentValue.CacheFor)
        {
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_items is null || timeProvider.GetUtcNow() - _readAt >= options.CurrentValue.CacheFor)
                {
                    var read = await aria.GetClientItemsAllAsync(new GetClientItemsAllMRequest(), cancellationToken).ConfigureAwait(false);
                    if (read.IsSuccess)
                    {
                        _items = read.Value.AllClientItemDetails ?? [];
                        _readAt = timeProvider.GetUtcNow();
                    }
                    else if (_items is null)
                    {
                        return AriaResult<IReadOnlyList<CatalogItem>>.Failure(read.Error);
                    }
                }
                items = _items;
            }
            finally
            {
                _refresh.Release();
            }
        }
        var hidden = selfService.CurrentValue.HiddenItems;
        IReadOnlyList<CatalogItem> visible = [.. items!
            // Aria leaves inactive items out unless asked; active_ind is checked too, as the field is what it documents.
            .Where(item => item.ItemNo is not null && !string.IsNullOrWhiteSpace(item.ClientSku) && item.ActiveInd == 1)
            .Where(item => !hidden.Exists(h => string.Equals(h, item.ClientSku, StringComparison.OrdinalIgnoreCase) || h == item.ItemNo!.Value.ToString(CultureInfo.InvariantCulture)))
            .Select(item => new CatalogItem(item.ItemNo!.Value, item.ClientSku!, item.ItemLabel ?? item.ClientSku!, item.ItemDesc, UnitPrices(item)))];
        return AriaResult<IReadOnlyList<CatalogItem>>.Success(visible);
    }

    /// <summary>One price per currency (the first Aria lists); <c>price_per_unit</c> is the unit price, <c>price</c> its fallback.</summary>
    private static Dictionary<string, decimal> UnitPrices(AllClientItemDetail item)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var price in item.AllItemPrices ?? [])
        {
            if (!string.IsNullOrWhiteSpace(price.CurrencyCd) && (price.PricePerUnit ?? price.Price) is { } amount)
            {
                prices.TryAdd(price.CurrencyCd.ToUpperInvariant(), amount);
            }
        }
        return prices;
    }
}
