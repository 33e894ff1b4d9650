using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Numbers in digits or words ("3", "three", "tres", "3,5" in Spanish, "1,000" in English), as the answer to a
/// number prompt ("3 seats" is 3). Two different numbers in one answer ("3 or 4") are ambiguous rather than
/// "the first one", because the answer usually sets a quantity that will be billed.
/// </summary>
public static class NumberInput
{
    /// <summary>Recognises the one number the user gave.</summary>
    public static NumberResult Recognize(string? text, string? locale)
    {
        var found = FindAll(text, locale);
        if (found.Count == 0)
        {
            return NumberResult.NoMatch;
        }

        var first = found[0];
        if (found.Skip(1).Any(other => other.Value != first.Value))
        {
            return new NumberResult(NumberOutcome.Ambiguous, first.Value, first.Text, first.Start, first.Length, found);
        }

        return new NumberResult(NumberOutcome.Recognized, first.Value, first.Text, first.Start, first.Length, found);
    }

    /// <summary>Every number in the text, in order, for extracting entities from a longer sentence.</summary>
    public static IReadOnlyList<NumberMatch> FindAll(string? text, string? locale)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        // Most lines hold no digit and no number word: the model's patterns are not run over them (issue 22).
        var culture = BotCulture.Resolve(locale);
        if (!NumberCue.MayHoldNumber(text, culture))
        {
            return [];
        }

        var results = RecognizersRuntime.Run(text, t => RecognizerModels.Number(culture).Parse(t));
        var matches = new List<NumberMatch>();
        // Tokenised only when a match is "one" (to tell the pronoun): most lines never need it.
        IReadOnlyList<TextToken>? tokens = null;
        foreach (var result in results)
        {
            if (!RecognizersRuntime.TryParseValue(RecognizersRuntime.GetString(result, ResolutionKey.Value), culture, out var value))
            {
                continue;
            }

            var (matched, start, length) = RecognizersRuntime.Span(text, result);
            if (IsPronounOne(matched, start, text, ref tokens, culture))
            {
                continue;
            }

            var isWords = !matched.Any(char.IsDigit);
            matches.Add(new NumberMatch(value, matched, start, length, isWords));
        }

        return matches;
    }

    // "the second one", "the last one", "that one": here "one" is a pronoun, not the quantity 1.
    private static readonly HashSet<string> OneAsPronounBefore = new(StringComparer.Ordinal)
    {
        "the", "this", "that", "which", "another", "other", "any", "each", "every", "same", "new", "no", "last",
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "next", "previous", "cheaper", "cheapest", "bigger", "biggest",
        "smaller", "smallest", "better", "best", "basic", "current", "right", "wrong", "annual", "monthly", "yearly",
        "top", "bottom", "middle", "gold", "silver", "bronze", "premium", "only",
    };

    private static bool IsPronounOne(string matched, int start, string text, ref IReadOnlyList<TextToken>? tokens, BotCulture culture)
    {
        if (culture.IsSpanish || !string.Equals(matched.Trim(), "one", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        tokens ??= TextFolding.Tokenize(text);
        var index = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Start == start)
            {
                index = i;
                break;
            }
        }

        if (index <= 0)
        {
            return false;
        }

        var before = tokens[index - 1].Text;
        return OneAsPronounBefore.Contains(before);
    }
}

public enum NumberOutcome
{
    /// <summary>Exactly one number (possibly repeated) was given.</summary>
    Recognized,

    /// <summary>No number in the text.</summary>
    NoMatch,

    /// <summary>Two or more different numbers; <see cref="NumberResult.Value"/> holds the first, but do not use it silently.</summary>
    Ambiguous,
}

/// <summary>A number found in text. <see cref="IsWords"/> is true for "three", false for "3".</summary>
public sealed record NumberMatch(decimal Value, string Text, int Start, int Length, bool IsWords)
{
    public bool IsInteger => decimal.Truncate(Value) == Value;

    public int End => Start + Length;
}

public sealed record NumberResult(
    NumberOutcome Outcome,
    decimal Value,
    string? MatchedText,
    int Start,
    int Length,
    IReadOnlyList<NumberMatch> All)
{
    public static NumberResult NoMatch { get; } = new(NumberOutcome.NoMatch, 0, null, 0, 0, []);

    public bool Succeeded => Outcome == NumberOutcome.Recognized;

    public bool IsInteger => decimal.Truncate(Value) == Value;

    /// <summary>The value as an <see cref="int"/> when it is a whole number in range.</summary>
    public bool TryGetInt32(out int value)
    {
        value = 0;
        if (!Succeeded || !IsInteger || Value < int.MinValue || Value > int.MaxValue)
        {
            return false;
        }

        value = (int)Value;
        return true;
    }
}
