using System.Text;

namespace AriaBot.Understanding;

/// <summary>
/// Typed placeholders put in place of entities before a message is featurised, in training and at run time alike:
/// a catalog plan becomes <c>&lt;PLAN&gt;</c>, a catalog item <c>&lt;ITEM&gt;</c>, a count <c>&lt;NUM&gt;</c>. The
/// classifier then learns "cancel &lt;PLAN&gt;" once instead of once per plan name, so a business's own names
/// (which no training line can know) still tell cancelling a plan from stopping a task. Training lines may be written
/// with the placeholders themselves (<c>dialogs/Entities</c>).
/// </summary>
public static class EntityPlaceholders
{
    public const string Plan = "<PLAN>";
    public const string Item = "<ITEM>";
    public const string Number = "<NUM>";

    // What the placeholders become in IntentFeatures: letter-only words nobody types, kept whole (no character
    // n-grams, which would make "<PLAN>" look like the word "plan"). A count is "0", like any digits.
    internal const string PlanFeature = "qxplanqx";
    internal const string ItemFeature = "qxitemqx";
    internal const string NumberFeature = "0";

    /// <summary>The placeholder for a catalog entry of this kind, or null for a kind the classifier does not know.</summary>
    public static string? For(NamedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Kind switch
        {
            NamedItem.PlanKind => Plan,
            NamedItem.ItemKind => Item,
            _ => null,
        };
    }

    /// <summary>Replaces each span (start, length; overlapping spans after the first are skipped) by its placeholder.</summary>
    public static string Apply(string text, IEnumerable<(int Start, int Length, string Placeholder)> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length, placeholder) in spans.OrderBy(s => s.Start))
        {
            if (start < at || start + length > text.Length)
            {
                continue;
            }

            builder.Append(text, at, start - at).Append(' ').Append(placeholder).Append(' ');
            at = start + length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// The catalog entries the classifier knows a placeholder for, and the counts, replaced in <paramref name="text"/>. A
    /// line that names no such entry and holds no count is returned itself: most lines are, and copying each through a
    /// builder was issue 22's waste.
    /// </summary>
    internal static string Apply(string text, List<NamedItemMatch> catalog, IReadOnlyList<BotRuntime.Recognition.NumberMatch> numbers)
    {
        if (numbers.Count == 0 && !catalog.Exists(c => For(c.Item) is not null))
        {
            return text;
        }

        return Apply(text, [
            .. catalog.Where(c => For(c.Item) is not null).Select(c => (c.Start, c.Length, For(c.Item)!)),
            .. numbers.Select(n => (n.Start, n.Length, Number))]);
    }

    /// <summary>Turns the placeholders of a text into their feature words (before folding and tokenising).</summary>
    internal static string ToFeatureWords(string text) => text
        .Replace(Plan, " " + PlanFeature + " ", StringComparison.OrdinalIgnoreCase)
        .Replace(Item, " " + ItemFeature + " ", StringComparison.OrdinalIgnoreCase)
        .Replace(Number, " " + NumberFeature + " ", StringComparison.OrdinalIgnoreCase);

    internal static bool IsFeatureWord(ReadOnlySpan<char> token) =>
        token.SequenceEqual(PlanFeature) || token.SequenceEqual(ItemFeature);

    /// <summary>The placeholder at the start of <paramref name="text"/> (any case, as <see cref="ToFeatureWords"/> reads it): its feature word and length.</summary>
    internal static (string Feature, int Length)? FeatureWordAt(ReadOnlySpan<char> text) =>
        text.StartsWith(Plan, StringComparison.OrdinalIgnoreCase) ? (PlanFeature, Plan.Length)
        : text.StartsWith(Item, StringComparison.OrdinalIgnoreCase) ? (ItemFeature, Item.Length)
        : text.StartsWith(Number, StringComparison.OrdinalIgnoreCase) ? (NumberFeature, Number.Length)
        : null;
}
