using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Amounts of money ("$50", "fifty dollars", "50,50 €", or a bare "50.5" meaning the expected currency).
/// A stated currency is checked against the one the account bills in: paying "50 euros" into a USD account is
/// a distinct <see cref="MoneyOutcome.WrongCurrency"/>, never silently 50 USD.
/// </summary>
public static class MoneyInput
{
    public static MoneyResult Recognize(string? text, string? locale, MoneyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var expected = options.ExpectedCurrency.ToUpperInvariant();
        var found = FindAll(text, locale, expected);
        if (found.Count == 0)
        {
            return MoneyResult.NoMatch(expected);
        }

        // A stated amount wins over bare numbers ("$50 for 2 months" is $50); bare numbers only count alone.
        var stated = found.Where(m => m.CurrencyStated).ToList();
        var candidates = stated.Count > 0 ? stated : found;
        var first = candidates[0];
        if (candidates.Skip(1).Any(m => m.Amount != first.Amount || !string.Equals(m.Currency, first.Currency, StringComparison.Ordinal)))
        {
            return Result(MoneyOutcome.Ambiguous, first, expected);
        }

        if (!string.Equals(first.Currency, expected, StringComparison.Ordinal))
        {
            return Result(MoneyOutcome.WrongCurrency, first, expected);
        }

        if (first.Amount < 0 && !options.AllowNegative)
        {
            return Result(MoneyOutcome.Negative, first, expected);
        }

        if (first.Amount == 0 && !options.AllowZero)
        {
            return Result(MoneyOutcome.Zero, first, expected);
        }

        if (decimal.Round(first.Amount, CurrencyFacts.MinorDigits(expected)) != first.Amount)
        {
            return Result(MoneyOutcome.TooManyDecimals, first, expected);
        }

        return Result(MoneyOutcome.Recognized, first, expected);
    }

    /// <summary>
    /// Every amount in the text. Stated currencies are resolved to ISO codes; "$" and "dollars" mean the
    /// expected currency when it is written with a dollar sign (USD, CAD, AUD...), otherwise USD; cents are
    /// hundredths of the expected currency. Bare numbers are returned with <see cref="MoneyMatch.CurrencyStated"/>
    /// false and the expected currency.
    /// </summary>
    public static IReadOnlyList<MoneyMatch> FindAll(string? text, string? locale, string expectedCurrency)
    {
        ArgumentNullException.ThrowIfNull(expectedCurrency);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var expected = expectedCurrency.ToUpperInvariant();
        var matches = Stated(text, locale, expected);
        foreach (var number in NumberInput.FindAll(text, locale))
        {
            if (matches.Any(m => m.CurrencyStated && number.Start < m.End && m.Start < number.End))
            {
                continue;
            }

            matches.Add(new MoneyMatch(number.Value, expected, false, number.Text, number.Start, number.Length));
        }

        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        return matches;
    }

    /// <summary>
    /// Only the amounts with a stated currency: what <see cref="FindAll"/> answers with
    /// <see cref="MoneyMatch.CurrencyStated"/>, in the same order, without its bare numbers — and so without the
    /// second number pass they cost (issue 22: the understander reads the numbers itself and wants only these).
    /// </summary>
    public static IReadOnlyList<MoneyMatch> FindStated(string? text, string? locale, string expectedCurrency)
    {
        ArgumentNullException.ThrowIfNull(expectedCurrency);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var matches = Stated(text, locale, expectedCurrency.ToUpperInvariant());
        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        return matches;
    }

    private static List<MoneyMatch> Stated(string text, string? locale, string expected)
    {
        var culture = BotCulture.Resolve(locale);
        var matches = new List<MoneyMatch>();
        foreach (var result in RecognizersRuntime.Run(text, t => RecognizerModels.Currency(culture).Parse(t)))
        {
            if (!RecognizersRuntime.TryParseValue(RecognizersRuntime.GetString(result, ResolutionKey.Value), culture, out var value))
            {
                continue;
            }

            var (matched, start, length) = RecognizersRuntime.Span(text, result);
            var iso = RecognizersRuntime.GetString(result, "isoCurrency");
            var unit = RecognizersRuntime.GetString(result, ResolutionKey.Unit) ?? string.Empty;
            var currency = CurrencyFacts.Resolve(iso, unit, expected, ref value);
            if (HasMinusBefore(text, start) && value > 0)
            {
                value = -value;
            }

            matches.Add(new MoneyMatch(value, currency, true, matched, start, length));
        }

        return matches;
    }

    // Recognizers.Text leaves the sign outside "-$5".
    private static bool HasMinusBefore(string text, int start)
    {
        var i = start - 1;
        while (i >= 0 && text[i] == ' ')
        {
            i--;
        }

        if (i >= 0 && text[i] is '-' or '\u2212')
        {
            return true;
        }

        var before = TextFolding.Fold(text[..(i + 1)]).TrimEnd();
        return before.EndsWith("minus", StringComparison.Ordinal) || before.EndsWith("menos", StringComparison.Ordinal);
    }

    private static MoneyResult Result(MoneyOutcome outcome, MoneyMatch match, string expected) =>
        new(outcome, match.Amount, expected, match.CurrencyStated ? match.Currency : null, match.Text, match.Start, match.Length);
}

public sealed record MoneyOptions(string ExpectedCurrency)
{
    /// <summary>Zero is refused by default: nobody pays nothing on purpose.</summary>
    public bool AllowZero { get; init; }

    /// <summary>Negative amounts are refused by default: a customer cannot pay themselves.</summary>
    public bool AllowNegative { get; init; }
}

public enum MoneyOutcome
{
    Recognized,
    NoMatch,

    /// <summary>Two different amounts or currencies in one answer.</summary>
    Ambiguous,

    /// <summary>The user stated a currency other than the expected one; see <see cref="MoneyResult.StatedCurrency"/>.</summary>
    WrongCurrency,
    Zero,
    Negative,

    /// <summary>More decimals than the currency has ("$10.555").</summary>
    TooManyDecimals,
}

/// <summary>One amount found in text; <see cref="Currency"/> is an ISO code, or the unit name Recognizers.Text gave when it has none.</summary>
public sealed record MoneyMatch(decimal Amount, string Currency, bool CurrencyStated, string Text, int Start, int Length)
{
    public int End => Start + Length;
}

/// <param name="Currency">The expected currency (ISO 4217), which <see cref="Amount"/> is in when the result succeeded.</param>
/// <param name="StatedCurrency">The currency the user wrote, if any (ISO code, or a unit name such as "Pound" when no code is known).</param>
public sealed record MoneyResult(
    MoneyOutcome Outcome,
    decimal Amount,
    string Currency,
    string? StatedCurrency,
    string? MatchedText,
    int Start,
    int Length)
{
    public bool Succeeded => Outcome == MoneyOutcome.Recognized;

    public static MoneyResult NoMatch(string currency) => new(MoneyOutcome.NoMatch, 0, currency, null, null, 0, 0);
}

/// <summary>The few currency facts the recogniser needs; not a general currency table.</summary>
public static class CurrencyFacts
{
    // Currencies commonly written with a bare "$" or called "dollars"/"pesos" with the dollar sign.
    private static readonly HashSet<string> DollarSign = new(StringComparer.Ordinal)
    {
        "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "TWD", "JMD", "BSD", "BBD", "BZD", "FJD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD",
    };

    private static readonly HashSet<string> ZeroMinorDigits = new(StringComparer.Ordinal)
    {
        "JPY", "KRW", "CLP", "ISK", "VND", "PYG", "UGX", "XAF", "XOF", "XPF", "RWF", "KMF", "GNF", "DJF", "BIF", "VUV",
    };

    private static readonly HashSet<string> ThreeMinorDigits = new(StringComparer.Ordinal)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    /// <summary>Decimal places of the currency's minor unit (2 unless known otherwise).</summary>
    public static int MinorDigits(string isoCurrency) =>
        ZeroMinorDigits.Contains(isoCurrency) ? 0 : ThreeMinorDigits.Contains(isoCurrency) ? 3 : 2;

    internal static string Resolve(string? iso, string unit, string expected, ref decimal value)
    {
        if (!string.IsNullOrEmpty(iso))
        {
            return iso.ToUpperInvariant();
        }

        switch (TextFolding.Fold(unit))
        {
            case "dollar":
            case "dolar":
                return DollarSign.Contains(expected) ? expected : "USD";
            case "pound":
            case "libra":
                return "GBP";
            case "cent":
            case "centimo":
            case "centavo":
                value /= (decimal)Math.Pow(10, MinorDigits(expected));
                return expected;
            default:
                return unit;
        }
    }
}
