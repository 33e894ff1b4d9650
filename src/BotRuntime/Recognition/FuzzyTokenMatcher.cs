namespace BotRuntime.Recognition;

/// <summary>
/// Finds which options an utterance mentions by comparing word tokens, tolerating small typos ("premum" for
/// "Premium") and partial names ("gold" for "Gold Plan"). Shared by <see cref="ChoiceInput"/> and by free-text
/// understanding, which matches the plans and items the customer may see.
/// <para>
/// Scoring, per option text: each of its tokens is weighted (1, or 0.3 for a generic word such as "plan") and
/// scored by its best utterance token (1 exact, 0.85 one typo, 0.7 prefix of at
/// least four letters); the score is the weighted share matched. An option is only a candidate when at least one
/// of its non-generic words matched: "my plan" names no plan when they are all called "… Plan", while "gold"
/// names every "Gold …" option equally (and the caller reports that as ambiguous).
/// </para>
/// </summary>
public static class FuzzyTokenMatcher
{
    private const double GenericWeight = 0.3;
    private const double ExactQuality = 1.0;
    private const double TypoQuality = 0.85;
    private const double PrefixQuality = 0.7;

    // Words that never identify an option on their own: they name the kind of thing, not which one.
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "plan", "plans", "package", "packages", "subscription", "subscriptions", "service", "services", "tier", "tiers", "option",
        "options", "item", "items", "product", "products", "bundle", "edition", "account",
        "planes", "paquete", "paquetes", "suscripcion", "suscripciones", "servicio", "servicios", "tarifa", "tarifas", "producto",
        "productos", "articulo", "articulos", "opcion", "opciones", "cuenta", "edicion",
    };

    // Grammar words carry no identity at all and are left out of both sides.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "of", "to", "for", "my", "me", "i", "with", "and", "or", "on", "in", "at", "by", "is", "it", "this", "that",
        "el", "la", "los", "las", "lo", "de", "del", "al", "un", "una", "unos", "unas", "con", "mi", "mis", "y", "o", "por", "para", "en", "que", "es",
    };

    public static IReadOnlyList<FuzzyMatch> Match(string? utterance, IReadOnlyList<IReadOnlyList<string>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(utterance) || options.Count == 0)
        {
            return [];
        }

        return Match(utterance, Prepare(options));
    }

    /// <summary>
    /// The options' words, tokenised once: a caller that matches many utterances against the same options (the
    /// catalog every free-text turn is matched against) prepares them once and passes the result to
    /// <see cref="Match(string?, FuzzyOptions)"/>, which answers exactly as the list overload does.
    /// </summary>
    public static FuzzyOptions Prepare(IReadOnlyList<IReadOnlyList<string>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new FuzzyOptions(options, [.. options.Select(texts => texts.Select(Significant).ToList())]);
    }

    public static IReadOnlyList<FuzzyMatch> Match(string? utterance, FuzzyOptions prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var options = prepared.Texts;
        if (string.IsNullOrWhiteSpace(utterance) || options.Count == 0)
        {
            return [];
        }

        var spoken = TextFolding.Tokenize(utterance).Where(t => !StopWords.Contains(t.Text)).ToList();
        if (spoken.Count == 0)
        {
            return [];
        }

        var optionTokens = prepared.Tokens;
        var results = new List<FuzzyMatch>();
        // Which spoken words an option's text has used, cleared per text: one buffer per message, not per text.
        Span<bool> used = spoken.Count <= 128 ? stackalloc bool[spoken.Count] : new bool[spoken.Count];
        for (var index = 0; index < options.Count; index++)
        {
            FuzzyMatch? best = null;
            for (var t = 0; t < options[index].Count; t++)
            {
                used.Clear();
                var candidate = Score(spoken, used, optionTokens[index][t], index, options[index][t]);
                if (candidate is not null && (best is null || candidate.Score > best.Score))
                {
                    best = candidate;
                }
            }

            if (best is not null)
            {
                results.Add(best);
            }
        }

        results.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.OptionIndex.CompareTo(b.OptionIndex));
        return results;
    }

    /// <summary>Distance with adjacent transpositions (optimal string alignment), for typo tolerance.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // Three rolling rows (the transposition looks two rows back) instead of a whole matrix per word pair: the
        // catalog is matched against every free-text message, word by word.
        var width = b.Length + 1;
        Span<int> rows = width * 3 <= 256 ? stackalloc int[width * 3] : new int[width * 3];
        var beforePrevious = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(width * 2, width);
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            var recycled = beforePrevious;
            beforePrevious = previous;
            previous = current;
            current = recycled;
        }

        return previous[b.Length];
    }

    /// <summary>How well a typed word matches an option's word: 1 exact, 0.85 small typo, 0.7 prefix, 0 otherwise.</summary>
    public static double WordQuality(string typed, string target)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(target);
        if (string.Equals(typed, target, StringComparison.Ordinal))
        {
            return ExactQuality;
        }

        // Numbers and short words must be exact: "3" is not "4", "pro" is not "pre".
        if (typed.Length < 4 || target.Length < 4 || HasDigit(typed) || HasDigit(target))
        {
            return 0;
        }

        var allowed = Math.Min(typed.Length, target.Length) >= 8 ? 2 : 1;
        if (Math.Abs(typed.Length - target.Length) <= allowed && EditDistance(typed, target) <= allowed)
        {
            return TypoQuality;
        }

        return target.StartsWith(typed, StringComparison.Ordinal) ? PrefixQuality : 0;
    }

    // A loop rather than LINQ: this runs for every pair of spoken and catalog words of every message, and
    // Enumerable.Any over a string allocates an enumerator per call.
    private static bool HasDigit(string text)
    {
        foreach (var ch in text)
        {
            if (char.IsDigit(ch))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Significant(string text)
    {
        var tokens = TextFolding.Tokenize(text).Select(t => t.Text).ToList();
        var significant = tokens.Where(t => !StopWords.Contains(t)).ToList();
        return significant.Count > 0 ? significant : tokens;
    }

    private static FuzzyMatch? Score(List<TextToken> spoken, Span<bool> used, List<string> target, int optionIndex, string optionText)
    {
        if (target.Count == 0)
        {
            return null;
        }

        double total = 0, matched = 0;
        var evidence = false;
        var fuzzy = false;
        int start = int.MaxValue, end = -1;
        foreach (var word in target)
        {
            var generic = GenericWords.Contains(word);
            var weight = generic ? GenericWeight : 1.0;
            total += weight;
            double bestQuality = 0;
            var bestIndex = -1;
            for (var i = 0; i < spoken.Count; i++)
            {
                if (used[i])
                {
                    continue;
                }

                var quality = WordQuality(spoken[i].Text, word);
                if (quality > bestQuality)
                {
                    bestQuality = quality;
                    bestIndex = i;
                }
            }

            if (bestIndex < 0)
            {
                continue;
            }

            used[bestIndex] = true;
            matched += weight * bestQuality;
            evidence |= !generic;
            fuzzy |= bestQuality < ExactQuality;
            start = Math.Min(start, spoken[bestIndex].Start);
            end = Math.Max(end, spoken[bestIndex].End);
        }

        if (!evidence)
        {
            return null;
        }

        return new FuzzyMatch(optionIndex, optionText, matched / total, start, end - start, fuzzy);
    }
}

/// <summary>Options prepared by <see cref="FuzzyTokenMatcher.Prepare"/>: their texts and significant words. Read-only, so shareable.</summary>
public sealed class FuzzyOptions
{
    internal FuzzyOptions(IReadOnlyList<IReadOnlyList<string>> texts, List<List<List<string>>> tokens)
    {
        Texts = texts;
        Tokens = tokens;
    }

    internal IReadOnlyList<IReadOnlyList<string>> Texts { get; }

    internal List<List<List<string>>> Tokens { get; }
}

/// <param name="OptionIndex">Which option (index into the list given to <see cref="FuzzyTokenMatcher.Match"/>).</param>
/// <param name="MatchedText">The option's text (value or synonym) that matched best.</param>
/// <param name="Score">0–1: the weighted share of that text's words found in the utterance.</param>
/// <param name="Start">Start of the matched words in the utterance.</param>
/// <param name="Length">Length from the first to the last matched word in the utterance.</param>
/// <param name="IsFuzzy">True when a typo or a prefix was needed.</param>
public sealed record FuzzyMatch(int OptionIndex, string MatchedText, double Score, int Start, int Length, bool IsFuzzy)
{
    public int End => Start + Length;
}
