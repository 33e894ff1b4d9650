using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// A catalog's names tokenised once and its items' sizes read once, for every message matched against it. The
/// caller passes the same catalog list turn after turn (the understanding catalog caches it), so the preparation
/// hangs off that list instance; it is used only while the list still holds the very same items in the same order,
/// so a list changed in place is prepared again rather than matched stale.
/// </summary>
internal sealed class PreparedCatalog
{
    private static readonly ConditionalWeakTable<IReadOnlyList<NamedItem>, PreparedCatalog> ByList = [];

    private readonly NamedItem[] _items;
    private readonly ConcurrentDictionary<string, FuzzyOptions> _names = new(StringComparer.Ordinal);

    private PreparedCatalog(IReadOnlyList<NamedItem> items)
    {
        _items = [.. items];
        Sizes = [.. _items.Select(i => (IReadOnlyList<CatalogSizes.Size>)[.. CatalogSizes.In(i.DisplayName), .. CatalogSizes.In(i.Description)])];
    }

    /// <summary>Each item's sizes (display name, then description), by position.</summary>
    public IReadOnlyList<IReadOnlyList<CatalogSizes.Size>> Sizes { get; }

    public static PreparedCatalog For(IReadOnlyList<NamedItem> items)
    {
        if (ByList.TryGetValue(items, out var prepared) && prepared.Holds(items))
        {
            return prepared;
        }

        prepared = new PreparedCatalog(items);
        ByList.AddOrUpdate(items, prepared);
        return prepared;
    }

    /// <summary>The names matched in a message of <paramref name="locale"/>, prepared for <see cref="FuzzyTokenMatcher"/>.</summary>
    public FuzzyOptions NamesFor(string locale) =>
        _names.GetOrAdd(locale, static (l, items) => FuzzyTokenMatcher.Prepare([.. items.Select(i => i.NamesFor(l))]), _items);

    private bool Holds(IReadOnlyList<NamedItem> items)
    {
        if (items.Count != _items.Length)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!ReferenceEquals(items[i], _items[i]))
            {
                return false;
            }
        }

        return true;
    }
}
