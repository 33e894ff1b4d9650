namespace AriaBot.Understanding;

/// <summary>
/// Something the customer may pick by name (a plan, an inventory item). The caller passes only what this
/// customer may see, so a hidden plan matches nothing — exactly like a plan that does not exist.
/// </summary>
public sealed record NamedItem(string Id, string DisplayName, IReadOnlyList<string> Synonyms)
{
    public NamedItem(string id, string displayName)
        : this(id, displayName, [])
    {
    }

    /// <summary>The <see cref="Kind"/> of a plan: its name becomes <see cref="EntityPlaceholders.Plan"/> before classifying.</summary>
    public const string PlanKind = "plan";

    /// <summary>The <see cref="Kind"/> of an inventory item: its name becomes <see cref="EntityPlaceholders.Item"/>.</summary>
    public const string ItemKind = "item";

    /// <summary>
    /// What the item is (<see cref="PlanKind"/>, <see cref="ItemKind"/>, or another label of the caller's). Not used
    /// for matching; plans and items are replaced by typed placeholders before the intent is classified.
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>
    /// More names by locale ("es-ES" → "soporte prioritario"), matched only in messages of that locale, beside
    /// <see cref="Synonyms"/>, which every locale matches.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SynonymsByLocale { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The catalog's description; its sizes ("1 TB", "500 Mb/s") name the item too (<see cref="CatalogSizes"/>).</summary>
    public string? Description { get; init; }

    /// <summary>The names matched in a message of <paramref name="locale"/>: the display name, the synonyms, the locale's own.</summary>
    public IReadOnlyList<string> NamesFor(string locale) =>
        [DisplayName, .. Synonyms, .. SynonymsByLocale.Where(p => string.Equals(p.Key, locale, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value)];
}

/// <param name="MatchedName">The item's name or synonym that matched.</param>
/// <param name="Start">Where the matched words start in the message.</param>
/// <param name="Length">Length of the matched words in the message.</param>
public sealed record NamedItemMatch(NamedItem Item, double Score, string MatchedName, int Start, int Length, bool IsFuzzy)
{
    public int End => Start + Length;
}
