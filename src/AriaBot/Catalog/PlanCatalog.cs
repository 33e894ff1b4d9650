using System.ComponentModel.DataAnnotations;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.SelfService;
using Microsoft.Extensions.Options;

namespace AriaBot.Catalog;

/// <summary>How long catalogs are cached (configuration section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Plans and items change rarely; one read per interval serves every conversation. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a turn may wait for the names the understander uses when none were read yet (the first turns after
    /// start-up, or while Aria has not answered once); after it the message is understood without plan and item
    /// names rather than keeping the customer waiting on Aria. The names are read at start-up and then again in the
    /// background once older than <see cref="NamesRefreshAfter"/>. Default 2 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FirstReadTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How old the names the understander knows may get before a turn starts reading them again, in the background.
    /// Default 10 minutes, as <see cref="CacheFor"/>, whose caches that read goes through.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan NamesRefreshAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether the names are read as the host starts, so that the first customers need not wait at all. Default true;
    /// false leaves the first read to the first free-text turn (the tests do, so that a test's own Aria calls are the
    /// only ones in the sandbox's log).
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// What customers call plans and items in each locale, by <c>client_plan_id</c> or SKU:
    /// <c>Catalog:Synonyms:es-ES:PRIORITY_SUPPORT:0 = "soporte prioritario"</c>. Matched only in messages of that
    /// locale (the catalog's own names match in every locale). Default: none.
    /// </summary>
    public Dictionary<string, Dictionary<string, List<string>>> Synonyms { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A plan of the client's catalog that customers may see.</summary>
public sealed record CatalogPlan(long PlanNo, string ClientPlanId, string Name, string? Description, bool IsSupplemental, string? Currency);

/// <summary>The plans customers may be offered: Aria's <c>display_ind</c> and the operator's hidden list both respected.</summary>
public interface IPlanCatalog
{
    Task<AriaResult<IReadOnlyList<CatalogPlan>>> VisiblePlansAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// <c>get_client_plans_basic_m</c>, cached for <see cref="CatalogOptions.CacheFor"/>. If Aria cannot be read when
/// the cache is due, the last catalog is used rather than failing the customer's request.
/// </summary>
public sealed class PlanCatalog(IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService, IOptionsMonitor<CatalogOptions> options, TimeProvider timeProvider) : IPlanCatalog
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<PlanDetail>? _plans;
    private DateTimeOffset _readAt;

    public async Task<AriaResult<IReadOnlyList<CatalogPlan>>> VisiblePlansAsync(CancellationToken cancellationToken = default)
    {
        var plans = _plans;
        if (plans is null || timeProvider.GetUtcNow() - _readAt >= options.CurrentValue.CacheFor)
        {
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_plans is null || timeProvider.GetUtcNow() - _readAt >= options.CurrentValue.CacheFor)
                {
                    var read = await aria.GetClientPlansBasicAsync(new GetClientPlansBasicMRequest(), cancellationToken).ConfigureAwait(false);
                    if (read.IsSuccess)
                    {
                        _plans = read.Value.PlanDetails ?? [];
                        _readAt = timeProvider.GetUtcNow();
                    }
                    else if (_plans is null)
                    {
                        return AriaResult<IReadOnlyList<CatalogPlan>>.Failure(read.Error);
                    }
                }
                plans = _plans;
            }
            finally
            {
                _refresh.Release();
            }
        }
        var hidden = selfService.CurrentValue.HiddenPlans;
        IReadOnlyList<CatalogPlan> visible = [.. plans!
            .Where(plan => plan.PlanNo is not null && plan.DisplayInd != 0)
            .Where(plan => !hidden.Exists(h => string.Equals(h, plan.ClientPlanId, StringComparison.OrdinalIgnoreCase) || h == plan.PlanNo!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(plan => new CatalogPlan(plan.PlanNo!.Value, plan.ClientPlanId ?? string.Empty, plan.PlanName ?? plan.ClientPlanId ?? string.Empty, plan.PlanDesc, plan.SuppPlanInd == 1, plan.CurrencyCd))];
        return AriaResult<IReadOnlyList<CatalogPlan>>.Success(visible);
    }
}
