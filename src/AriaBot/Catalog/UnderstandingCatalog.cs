using Aria.Client;
using AriaBot.SelfService;
using AriaBot.Understanding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
/// <remarks>A failure is reported, not turned into an empty list, so the last names read are kept instead.</remarks>
public interface IUnderstandingCatalogSource
{
    Task<AriaResult<IReadOnlyList<NamedItem>>> ItemsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Every registered source in one list, each entry tagged with its <see cref="NamedItem.Kind"/> so a use case
/// takes only its own kind ("order 2 routers" pre-fills an order, never a plan switch). Every free-text turn reads
/// it, so it never waits on Aria: it is read at start-up (<see cref="UnderstandingCatalogWarmUp"/>), served from
/// memory, and read again in the background by the first turn that finds it older than
/// <see cref="CatalogOptions.NamesRefreshAfter"/> (an idle bot sends Aria nothing). Only while no copy exists does a turn
/// wait, at most <see cref="CatalogOptions.FirstReadTimeout"/> from the start of the read, and then goes on without
/// names. A source that fails keeps its last names; a read with a failure is tried again by the next turn.
/// </summary>
/// <remarks>Each entry also gets its names per locale from <see cref="CatalogOptions.Synonyms"/> (by id, any case).</remarks>
public sealed partial class UnderstandingCatalog : IUnderstandingCatalog, IDisposable
{
    private readonly IUnderstandingCatalogSource[] _sources;
    private readonly IOptionsMonitor<CatalogOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UnderstandingCatalog> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<NamedItem>?[] _lastGood;
    private readonly IDisposable?[] _onChange;
    private volatile Snapshot? _current;
    private Refresh? _refresh;
    private bool _disposed;

    public UnderstandingCatalog(
        IEnumerable<IUnderstandingCatalogSource> sources,
        IOptionsMonitor<CatalogOptions> options,
        IOptionsMonitor<SelfServiceOptions> selfService,
        TimeProvider timeProvider,
        ILogger<UnderstandingCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(selfService);
        _sources = [.. sources];
        _lastGood = new IReadOnlyList<NamedItem>?[_sources.Length];
        _options = options;
        _time = timeProvider;
        _logger = logger;
        // New synonyms or hidden plans and items are picked up by the next turn's background read, not in 10 minutes.
        _onChange = [options.OnChange(_ => MarkStale()), selfService.OnChange(_ => MarkStale())];
    }

    public async Task<IReadOnlyList<NamedItem>> ItemsAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null)
        {
            if (_time.GetUtcNow() - current.ReadAt >= _options.CurrentValue.NamesRefreshAfter)
            {
                Begin();
            }
            return current.Items;
        }

        var refresh = Begin();
        var left = refresh.StartedAt + _options.CurrentValue.FirstReadTimeout - _time.GetUtcNow();
        if (refresh.Task is { IsCompleted: false } pending && left > TimeSpan.Zero)
        {
            try
            {
                await pending.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogUnderstoodWithoutNames(_logger, _options.CurrentValue.FirstReadTimeout);
            }
        }
        return _current?.Items ?? [];
    }

    /// <summary>Starts the first read without waiting for it, so the first customers rarely wait at all.</summary>
    public void WarmUp() => Begin();

    /// <summary>The read in progress (a completed task when none), for tests that wait for a background read.</summary>
    internal Task Reading
    {
        get
        {
            lock (_gate)
            {
                return _refresh?.Task ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>Abandons the read in progress and starts no other: a host shutting down does not wait on Aria.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
        }
        // Outside the lock: cancelling runs the abandoned read's callbacks, which take the lock themselves.
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile, which cancelled it already.
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            // From here on Begin starts no read, so nothing touches the token source once it is disposed.
            _disposed = true;
        }
        _stopping.Cancel();
        _stopping.Dispose();
        foreach (var subscription in _onChange)
        {
            subscription?.Dispose();
        }
    }

    private void MarkStale()
    {
        lock (_gate)
        {
            if (_current is { } current)
            {
                _current = current with { ReadAt = DateTimeOffset.MinValue };
            }
        }
    }

    /// <summary>The read in progress, or a new one: at most one at a time, however many turns find the copy old.</summary>
    private Refresh Begin()
    {
        lock (_gate)
        {
            if (_refresh is { Task.IsCompleted: false } running)
            {
                return running;
            }
            var started = _time.GetUtcNow();
            var stopping = _disposed ? CancellationToken.None : _stopping.Token;
            var task = _disposed || stopping.IsCancellationRequested ? Task.CompletedTask : Task.Run(() => RefreshAsync(stopping));
            _refresh = new Refresh(task, started);
            return _refresh;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(_sources.Select(source => ReadAsync(source, cancellationToken))).ConfigureAwait(false);
        var synonyms = _options.CurrentValue.Synonyms;
        lock (_gate)
        {
            for (var i = 0; i < reads.Length; i++)
            {
                _lastGood[i] = reads[i] ?? _lastGood[i];
            }
            var items = _lastGood.Where(list => list is not null).SelectMany(list => list!).Select(item => WithLocalNames(item, synonyms)).ToList();
            // A read with a failure counts as old, so the next turn tries again (in the background, as always).
            _current = new Snapshot(items, reads.All(read => read is not null) ? _time.GetUtcNow() : DateTimeOffset.MinValue);
        }
    }

    /// <summary>One source's names, or null when they could not be read (the last ones read are then kept).</summary>
    private async Task<IReadOnlyList<NamedItem>?> ReadAsync(IUnderstandingCatalogSource source, CancellationToken cancellationToken)
    {
        try
        {
            var read = await source.ItemsAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsSuccess)
            {
                return read.Value;
            }
            LogReadFailed(_logger, source.GetType().Name, read.Error.Kind, read.Error.Code);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // A background read must never fault: the turns that read the copy go on either way.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReadThrew(_logger, source.GetType().Name, exception);
            return null;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalog names for understanding could not be read from {Source} ({Kind} {Code}); the last ones read are kept.")]
    private static partial void LogReadFailed(ILogger logger, string source, AriaErrorKind kind, long code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the catalog names for understanding from {Source} failed; the last ones read are kept.")]
    private static partial void LogReadThrew(ILogger logger, string source, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "No catalog names within {Timeout}: the message is understood without plan and item names.")]
    private static partial void LogUnderstoodWithoutNames(ILogger logger, TimeSpan timeout);

    private sealed record Snapshot(IReadOnlyList<NamedItem> Items, DateTimeOffset ReadAt);

    private sealed record Refresh(Task Task, DateTimeOffset StartedAt);
}

/// <summary>
/// Starts the understanding catalog's first read with the host, without holding the start-up up, and abandons a
/// read still waiting on Aria when the host stops.
/// </summary>
public sealed class UnderstandingCatalogWarmUp(IUnderstandingCatalog catalog, IOptions<CatalogOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WarmUp)
        {
            (catalog as UnderstandingCatalog)?.WarmUp();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        (catalog as UnderstandingCatalog)?.Stop();
        return Task.CompletedTask;
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

    public async Task<AriaResult<IReadOnlyList<NamedItem>>> ItemsAsync(CancellationToken cancellationToken)
    {
        var visible = await plans.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        return visible.IsSuccess
            ? AriaResult<IReadOnlyList<NamedItem>>.Success([.. visible.Value.Select(plan => new NamedItem(plan.ClientPlanId, plan.Name, [plan.ClientPlanId.Replace('_', ' ')]) { Kind = PlanKind, Description = plan.Description })])
            : AriaResult<IReadOnlyList<NamedItem>>.Failure(visible.Error);
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

    public async Task<AriaResult<IReadOnlyList<NamedItem>>> ItemsAsync(CancellationToken cancellationToken)
    {
        var visible = await items.VisibleItemsAsync(cancellationToken).ConfigureAwait(false);
        return visible.IsSuccess
            ? AriaResult<IReadOnlyList<NamedItem>>.Success([.. visible.Value.Select(item => new NamedItem(item.ClientSku, item.Label, Synonyms(item)) { Kind = ItemKind, Description = item.Description })])
            : AriaResult<IReadOnlyList<NamedItem>>.Failure(visible.Error);
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
