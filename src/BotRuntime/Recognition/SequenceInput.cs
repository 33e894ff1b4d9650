using System.Globalization;
using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>E-mail addresses, through Recognizers.Text's sequence model.</summary>
public static class EmailInput
{
    public static SequenceResult Recognize(string? text, string? locale) => SequenceResult.From(FindAll(text, locale));

    public static IReadOnlyList<SequenceMatch> FindAll(string? text, string? locale)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var culture = BotCulture.Resolve(locale);
        return SequenceResult.Read(text, RecognizersRuntime.Run(text, t => RecognizerModels.Email(culture).Parse(t)));
    }
}

/// <summary>
/// Phone numbers. Recognizers.Text scores each match: international and grouped numbers score 0.9–1, a bare
/// run of 9 digits 0.4, a bare 8-digit run (often an order number) 0.3. <paramref name="minimumScore"/> filters them.
/// </summary>
public static class PhoneInput
{
    /// <summary>Default for a phone prompt, where the user was asked for a number: a bare Spanish mobile (score 0.4) counts.</summary>
    public const double DefaultMinimumScore = 0.4;

    public static SequenceResult Recognize(string? text, string? locale, double minimumScore = DefaultMinimumScore) =>
        SequenceResult.From(FindAll(text, locale, minimumScore));

    public static IReadOnlyList<SequenceMatch> FindAll(string? text, string? locale, double minimumScore = DefaultMinimumScore)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var culture = BotCulture.Resolve(locale);
        var matches = SequenceResult.Read(text, RecognizersRuntime.Run(text, t => RecognizerModels.PhoneNumber(culture).Parse(t)));
        return matches.Where(m => m.Score >= minimumScore).ToList();
    }
}

public enum SequenceOutcome
{
    Recognized,
    NoMatch,

    /// <summary>Two different values in one answer.</summary>
    Ambiguous,
}

public sealed record SequenceMatch(string Value, string Text, int Start, int Length, double Score)
{
    public int End => Start + Length;
}

public sealed record SequenceResult(SequenceOutcome Outcome, string? Value, string? MatchedText, int Start, int Length, double Score)
{
    public bool Succeeded => Outcome == SequenceOutcome.Recognized;

    internal static SequenceResult From(IReadOnlyList<SequenceMatch> found)
    {
        if (found.Count == 0)
        {
            return new SequenceResult(SequenceOutcome.NoMatch, null, null, 0, 0, 0);
        }

        var first = found[0];
        var outcome = found.Skip(1).Any(m => !string.Equals(m.Value, first.Value, StringComparison.OrdinalIgnoreCase))
            ? SequenceOutcome.Ambiguous
            : SequenceOutcome.Recognized;
        return new SequenceResult(outcome, first.Value, first.Text, first.Start, first.Length, first.Score);
    }

    internal static List<SequenceMatch> Read(string text, IReadOnlyList<ModelResult> results)
    {
        var matches = new List<SequenceMatch>();
        foreach (var result in results)
        {
            var (matched, start, length) = RecognizersRuntime.Span(text, result);
            // Recognizers.Text lower-cases its value; the local part of an address may be case-sensitive, so keep what was typed.
            var value = matched;
            var score = 1.0;
            if (result.Resolution is not null && result.Resolution.TryGetValue("score", out var rawScore) && rawScore is not null)
            {
                score = double.TryParse(Convert.ToString(rawScore, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 1.0;
            }

            matches.Add(new SequenceMatch(value, matched, start, length, score));
        }

        return matches;
    }
}
