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

    /// <summary>Free label for the caller ("plan", "item"); not used for matching.</summary>
    public string? Kind { get; init; }
}

/// <param name="MatchedName">The item's name or synonym that matched.</param>
/// <param name="Start">Where the matched words start in the message.</param>
/// <param name="Length">Length of the matched words in the message.</param>
public sealed record NamedItemMatch(NamedItem Item, double Score, string MatchedName, int Start, int Length, bool IsFuzzy)
{
    public int End => Start + Length;
}
