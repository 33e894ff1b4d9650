using System.Globalization;
using System.Text.RegularExpressions;

namespace AriaBot.Understanding;

/// <summary>
/// Sizes and speeds in names, descriptions and messages ("1 GB", "500 Mb/s", "100 megas", "1TB"), so that "the 1 GB
/// plan" finds the plan whose description says "Fibre 1 Gb/s". Customers do not tell bits from bytes, so neither does
/// this: a size is its number and its scale (kilo, mega, giga, tera).
/// </summary>
public static partial class CatalogSizes
{
    /// <summary>A size found in a text: its value in megas, where it starts and how long it is.</summary>
    public readonly record struct Size(decimal Megas, int Start, int Length);

    public static IReadOnlyList<Size> In(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var sizes = new List<Size>();
        foreach (Match match in SizePattern().Matches(text))
        {
            if (!decimal.TryParse(match.Groups["value"].Value.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var scale = char.ToLowerInvariant(match.Groups["unit"].Value[0]) switch
            {
                'k' => 0.001m,
                'm' => 1m,
                'g' => 1000m,
                _ => 1_000_000m,
            };
            sizes.Add(new Size(value * scale, match.Index, match.Length));
        }

        return sizes;
    }

    // No match timeout, on purpose. The pattern cannot backtrack much: no nested or adjacent overlapping quantifiers, and
    // the look-behind lets a match start only where a number starts, so a text costs time linear in its length (the
    // longest digit run is walked back once). A timeout here is measured on the wall clock, so it fired only when the
    // thread was descheduled under heavy load, throwing out of the understander on normal input (it did once in CI).
    // NonBacktracking is not an option: it has no look-behind. CatalogSizesTests feeds it the shapes that could cost.
    [GeneratedRegex(@"(?<![\w.,])(?<value>\d+(?:[.,]\d+)?)\s?(?<unit>kb|kbps|mb|mbps|megas?|megabytes?|megabits?|gb|gbps|gigas?|gigabytes?|gigabits?|tb|teras?|terabytes?)(?:/s)?(?!\w)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex SizePattern();
}
