using System.Globalization;
using System.Text;
using BotRuntime.Recognition;

namespace AriaBot.Language;

/// <summary>
/// <see cref="IWords"/> over a validated <see cref="WordsCatalog"/>. Without a <see cref="Random"/> it always
/// picks the first wording, which keeps transcripts and tests stable; with one it varies.
/// </summary>
public sealed class Words(WordsCatalog catalog, Random? random = null) : IWords
{
    private readonly WordsCatalog _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    private readonly Random? _random = random;

    /// <summary>True when a key with several wordings may answer any of them (so a rendered wording must not be kept).</summary>
    public bool VariesWordings => _random is not null;

    public string Format(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null)
    {
        var (template, culture) = Lookup(key, locale);
        CheckArguments(key, args);
        var index = _random is null ? 0 : _random.Next(template.Variations.Count);
        return Render(template.Variations[index], culture, args);
    }

    public IReadOnlyList<string> FormatAll(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null)
    {
        var (template, culture) = Lookup(key, locale);
        CheckArguments(key, args);
        return template.Variations.Select(v => Render(v, culture, args)).ToList();
    }

    private (WordTemplate Template, BotCulture Culture) Lookup(WordKey key, string? locale)
    {
        ArgumentNullException.ThrowIfNull(key);
        var culture = BotCulture.Resolve(locale);
        var template = _catalog.Find(culture, key.Name) ?? _catalog.Find(BotCulture.Default, key.Name)
            ?? throw new InvalidOperationException($"'{key.Name}' is not in the words catalog; was it validated at start-up?");
        return (template, culture);
    }

    // A wrong argument name is a programming error that would otherwise print "${amount}" to a customer.
    private static void CheckArguments(WordKey key, IReadOnlyDictionary<string, object?>? args)
    {
        foreach (var placeholder in key.Placeholders)
        {
            if (args is null || !args.ContainsKey(placeholder))
            {
                throw new ArgumentException($"'{key.Name}' needs a value for '{placeholder}'.", nameof(args));
            }
        }

        if (args is null)
        {
            return;
        }

        foreach (var name in args.Keys)
        {
            if (!key.Placeholders.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{key.Name}' has no placeholder '{name}'.", nameof(args));
            }
        }
    }

    private static string Render(WordVariation variation, BotCulture culture, IReadOnlyDictionary<string, object?>? args)
    {
        // Most sentences are plain text: the stored string is the answer, with no builder and no copy on every turn.
        switch (variation.Segments)
        {
            case []:
                return string.Empty;
            case [{ IsPlaceholder: false } only]:
                return only.Text;
        }
        var builder = new StringBuilder();
        foreach (var segment in variation.Segments)
        {
            if (!segment.IsPlaceholder)
            {
                builder.Append(segment.Text);
                continue;
            }

            var value = args![segment.Text];
            builder.Append(value switch
            {
                null => string.Empty,
                string s => s,
                IFormattable formattable => formattable.ToString(null, culture.CultureInfo),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            });
        }

        return builder.ToString();
    }
}
