using System.Globalization;
using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Picks one of the choices shown to the user. In order: the exact value or a synonym; its number in the list
/// ("2", "number 2", "two"); an ordinal ("the second one", "the last one", "la segunda", "el penúltimo"); then
/// a partial or slightly misspelt name ("gold" → "Gold Plan", "premum" → "Premium"). When two choices match a
/// partial answer about equally the result is <see cref="ChoiceOutcome.Ambiguous"/> with both candidates,
/// never a guess.
/// </summary>
public static class ChoiceInput
{
    /// <summary>Two partial matches closer than this are ambiguous.</summary>
    public const double AmbiguityMargin = 0.15;

    /// <summary>Partial matches below this score are ignored.</summary>
    public const double MinimumPartialScore = 0.25;

    // Words people wrap around an answer: "the gold one please", "option 2", "la segunda opción".
    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "one", "ones", "option", "choice", "number", "no", "nr", "num", "please", "pls", "plz", "i", "ll", "i'll", "take",
        "want", "choose", "pick", "select", "go", "with", "like", "i'd", "id", "would", "let's", "lets", "thanks", "thank", "you", "plan", "item",
        "el", "la", "lo", "los", "las", "uno", "una", "opcion", "numero", "por", "favor", "quiero", "elijo", "escojo", "me", "quedo", "con",
        "gracias", "articulo", "de", "esa", "ese", "esta", "este",
    };

    public static ChoiceResult Recognize(string? text, IReadOnlyList<Choice> choices, string? locale)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (string.IsNullOrWhiteSpace(text) || choices.Count == 0)
        {
            return ChoiceResult.NoMatch;
        }

        var culture = BotCulture.Resolve(locale);
        var input = text.Length > 300 ? text[..300] : text;

        var exact = FindExact(input, choices);
        if (exact is not null)
        {
            return exact;
        }

        var indexed = FindByIndex(input, choices, culture);
        if (indexed is not null)
        {
            return ChoiceResult.Single(indexed);
        }

        var ordinal = FindByOrdinal(input, choices, culture);
        if (ordinal is not null)
        {
            return ChoiceResult.Single(ordinal);
        }

        return FindPartial(input, choices);
    }

    private static string Key(string text) => string.Join(' ', TextFolding.Tokenize(text).Select(t => t.Text));

    private static string StrippedKey(string text) =>
        string.Join(' ', TextFolding.Tokenize(text).Select(t => t.Text).Where(t => !Filler.Contains(t)));

    private static ChoiceResult? FindExact(string input, IReadOnlyList<Choice> choices)
    {
        foreach (var keyOf in new Func<string, string>[] { Key, StrippedKey })
        {
            var key = keyOf(input);
            if (key.Length == 0)
            {
                continue;
            }

            var found = new List<FoundChoice>();
            for (var i = 0; i < choices.Count; i++)
            {
                var choice = choices[i];
                if (keyOf(choice.Value) == key)
                {
                    found.Add(new FoundChoice(choice.Value, i, 1.0, choice.Value, ChoiceMatchKind.Exact));
                    continue;
                }

                var synonym = choice.Synonyms.FirstOrDefault(s => keyOf(s) == key);
                if (synonym is not null)
                {
                    found.Add(new FoundChoice(choice.Value, i, 1.0, synonym, ChoiceMatchKind.Synonym));
                }
            }

            if (found.Count == 1)
            {
                return ChoiceResult.Single(found[0]);
            }

            if (found.Count > 1)
            {
                return new ChoiceResult(ChoiceOutcome.Ambiguous, null, found);
            }
        }

        return null;
    }

    private static FoundChoice? FindByIndex(string input, IReadOnlyList<Choice> choices, BotCulture culture)
    {
        // When the choices are themselves numbers ("5", "10", "20" seats), "2" is not "the second one".
        if (choices.Any(c => decimal.TryParse(c.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }

        var rest = TextFolding.Tokenize(input).Select(t => t.Text).Where(t => !Filler.Contains(t)).ToList();
        if (rest.Count == 0)
        {
            return null;
        }

        if (rest.Count == 1 && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return AtPosition(choices, number - 1, rest[0]);
        }

        // "two", "dos": the whole (filler-stripped) answer must be one spelt-out number.
        var spoken = string.Join(' ', rest);
        var numbers = NumberInput.FindAll(spoken, culture.Name);
        if (numbers.Count == 1 && numbers[0].IsInteger && numbers[0].Length == spoken.Length && numbers[0].Value is > 0 and < 1000)
        {
            return AtPosition(choices, (int)numbers[0].Value - 1, numbers[0].Text);
        }

        return null;
    }

    private static FoundChoice? AtPosition(IReadOnlyList<Choice> choices, int index, string matched, ChoiceMatchKind kind = ChoiceMatchKind.Index)
    {
        if (index < 0 || index >= choices.Count)
        {
            return null;
        }

        return new FoundChoice(choices[index].Value, index, 1.0, matched, kind);
    }

    private static FoundChoice? FindByOrdinal(string input, IReadOnlyList<Choice> choices, BotCulture culture)
    {
        var ordinals = RecognizersRuntime.Run(input, t => RecognizerModels.Ordinal(culture).Parse(t));
        if (ordinals.Count != 1)
        {
            return null;
        }

        var ordinal = ordinals[0];
        var (matched, start, length) = RecognizersRuntime.Span(input, ordinal);
        var outside = input[..start] + " " + input[(start + length)..];
        if (TextFolding.Tokenize(outside).Any(t => !Filler.Contains(t.Text)))
        {
            return null;
        }

        var relativeTo = RecognizersRuntime.GetString(ordinal, "relativeTo");
        if (!int.TryParse(RecognizersRuntime.GetString(ordinal, "offset"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
        {
            return null;
        }

        var index = relativeTo switch
        {
            "start" => offset - 1,
            "end" => choices.Count - 1 + offset,
            _ => -1,
        };
        return AtPosition(choices, index, matched, ChoiceMatchKind.Ordinal);
    }

    private static ChoiceResult FindPartial(string input, IReadOnlyList<Choice> choices)
    {
        var texts = choices.Select(c => (IReadOnlyList<string>)[c.Value, .. c.Synonyms]).ToList();
        var matches = FuzzyTokenMatcher.Match(input, texts).Where(m => m.Score >= MinimumPartialScore).ToList();
        if (matches.Count == 0)
        {
            return ChoiceResult.NoMatch;
        }

        var found = matches
            .Select(m => new FoundChoice(choices[m.OptionIndex].Value, m.OptionIndex, m.Score, m.MatchedText, m.IsFuzzy ? ChoiceMatchKind.Fuzzy : ChoiceMatchKind.Partial))
            .ToList();
        if (found.Count > 1 && found[0].Score - found[1].Score < AmbiguityMargin)
        {
            var close = found.Where(f => found[0].Score - f.Score < AmbiguityMargin).ToList();
            return new ChoiceResult(ChoiceOutcome.Ambiguous, null, close);
        }

        return new ChoiceResult(ChoiceOutcome.Matched, found[0], found);
    }
}

/// <summary>A choice offered to the user: the value returned when picked, and other words that pick it.</summary>
public sealed record Choice(string Value, IReadOnlyList<string> Synonyms)
{
    public Choice(string value)
        : this(value, [])
    {
    }
}

public enum ChoiceMatchKind
{
    Exact,
    Synonym,
    Index,
    Ordinal,
    Partial,
    Fuzzy,
}

/// <summary>Like Bot Framework's FoundChoice: <see cref="Synonym"/> is the text that matched (value, synonym, "2", "second").</summary>
public sealed record FoundChoice(string Value, int Index, double Score, string Synonym, ChoiceMatchKind Kind);

public enum ChoiceOutcome
{
    Matched,
    NoMatch,

    /// <summary>Several choices fit equally; <see cref="ChoiceResult.Candidates"/> lists them so the bot can ask which.</summary>
    Ambiguous,
}

public sealed record ChoiceResult(ChoiceOutcome Outcome, FoundChoice? Match, IReadOnlyList<FoundChoice> Candidates)
{
    public static ChoiceResult NoMatch { get; } = new(ChoiceOutcome.NoMatch, null, []);

    public bool Succeeded => Outcome == ChoiceOutcome.Matched;

    internal static ChoiceResult Single(FoundChoice match) => new(ChoiceOutcome.Matched, match, [match]);
}
