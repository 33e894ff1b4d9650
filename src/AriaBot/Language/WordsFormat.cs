using System.Globalization;
using BotRuntime.Recognition;

namespace AriaBot.Language;

/// <summary>
/// Culture-correct text for values placed into words: "$1,234.50" / "1234,50 €", "December 4, 2026" /
/// "4 de diciembre de 2026". Callers format before passing arguments, so a sentence never has to guess.
/// </summary>
public static class WordsFormat
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["JPY"] = "¥", ["CAD"] = "CA$", ["AUD"] = "A$", ["MXN"] = "MX$", ["CHF"] = "CHF",
    };

    /// <summary>An amount with its currency, the way the locale writes money.</summary>
    public static string Money(decimal amount, string isoCurrency, string? locale)
    {
        ArgumentNullException.ThrowIfNull(isoCurrency);
        var culture = BotCulture.Resolve(locale);
        var iso = isoCurrency.ToUpperInvariant();
        var format = (NumberFormatInfo)culture.CultureInfo.NumberFormat.Clone();
        format.CurrencySymbol = Symbols.TryGetValue(iso, out var symbol) ? symbol : iso;

        // A Spanish reader sees "$" as ambiguous (pesos); spell out US dollars.
        if (culture.IsSpanish && iso == "USD")
        {
            format.CurrencySymbol = "US$";
        }

        format.CurrencyDecimalDigits = CurrencyFacts.MinorDigits(iso);
        return amount.ToString("C", format);
    }

    /// <summary>A calendar date written out: "December 4, 2026" / "4 de diciembre de 2026".</summary>
    public static string Date(DateOnly date, string? locale)
    {
        var culture = BotCulture.Resolve(locale);
        var pattern = culture.IsSpanish ? "d 'de' MMMM 'de' yyyy" : "MMMM d, yyyy";
        return date.ToString(pattern, culture.CultureInfo);
    }

    /// <summary>A number with the locale's separators (en-US "1,234.5"; es-ES uses a decimal comma).</summary>
    public static string Number(decimal value, string? locale) =>
        value.ToString("#,0.##########", BotCulture.Resolve(locale).CultureInfo);
}
