using System.Text.RegularExpressions;
using EnglishChoice = Microsoft.Recognizers.Definitions.English.ChoiceDefinitions;
using SpanishChoice = Microsoft.Recognizers.Definitions.Spanish.ChoiceDefinitions;

namespace BotRuntime.Recognition;

/// <summary>
/// Yes/no answers in English and Spanish, including our own confirm buttons' values.
/// <para>
/// Normal mode is forgiving like Bot Framework's ConfirmPrompt: "yes to the second one" is a yes.
/// <see cref="ConfirmOptions.Strict"/> is for confirming a write (invariant 2, docs/invariants.md): only an utterance that is
/// nothing but an affirmation (plus politeness: "yes please", "ok, go ahead", "sí, adelante") is a yes; "yes but
/// 5 seats" is <see cref="ConfirmOutcome.Qualified"/>, "no wait, yes?" is <see cref="ConfirmOutcome.Ambiguous"/>.
/// </para>
/// </summary>
public static class ConfirmInput
{
    private static readonly Regex EnglishTrue = new(EnglishChoice.TrueRegex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex EnglishFalse = new(EnglishChoice.FalseRegex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex SpanishTrue = new(SpanishChoice.TrueRegex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex SpanishFalse = new(SpanishChoice.FalseRegex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    // Thumbs up, OK hand / thumbs down, with or without a skin tone; the word tokenizer does not see symbols.
    private static readonly Regex YesSymbols = new("\U0001F44D|\U0001F44C|\u2705|\u2714", RegexOptions.CultureInvariant);
    private static readonly Regex NoSymbols = new("\U0001F44E|\u274C|\u2716", RegexOptions.CultureInvariant);

    /// <summary>The value our yes button posts in this locale ("Yes", "Sí"); recognised in every locale.</summary>
    public static string YesButtonValue(string? locale) => BotCulture.Resolve(locale).IsSpanish ? "Sí" : "Yes";

    /// <summary>The value our no button posts in this locale ("No").</summary>
    public static string NoButtonValue(string? locale) => "No";

    public static ConfirmResult Recognize(string? text, string? locale, ConfirmOptions? options = null)
    {
        options ??= ConfirmOptions.Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ConfirmResult(ConfirmOutcome.NoMatch, null);
        }

        var culture = BotCulture.Resolve(locale);
        var input = text.Length > 500 ? text[..500] : text;
        var words = Classify(input, culture);
        var yes = words.Count(w => w.Kind == ConfirmWordKind.Yes) + YesSymbols.Count(input);
        var no = words.Count(w => w.Kind == ConfirmWordKind.No) + NoSymbols.Count(input);
        var unsure = words.Any(w => w.Kind == ConfirmWordKind.Unsure);
        var other = words.Any(w => w.Kind == ConfirmWordKind.Other);
        var matched = words.FirstOrDefault(w => w.Kind is ConfirmWordKind.Yes or ConfirmWordKind.No).Text;

        if (options.Strict)
        {
            if (yes > 0 && no > 0)
            {
                return new ConfirmResult(ConfirmOutcome.Ambiguous, matched);
            }

            if (yes + no == 0 || unsure)
            {
                return new ConfirmResult(ConfirmOutcome.NoMatch, matched);
            }

            if (other)
            {
                return new ConfirmResult(ConfirmOutcome.Qualified, matched);
            }

            return new ConfirmResult(yes > 0 ? ConfirmOutcome.Yes : ConfirmOutcome.No, matched ?? input.Trim());
        }

        if (unsure)
        {
            return new ConfirmResult(ConfirmOutcome.NoMatch, matched);
        }

        // Recognizers' own regexes catch the odd word our phrases lack, but only where no phrase already spoke
        // ("no problem" is a yes, so its "no" must not count).
        if (yes == 0 && no == 0)
        {
            var folded = TextFolding.Fold(input);
            var (trueRegex, falseRegex) = culture.IsSpanish ? (SpanishTrue, SpanishFalse) : (EnglishTrue, EnglishFalse);
            yes = SafeCount(trueRegex, folded);
            no = SafeCount(falseRegex, folded);
        }

        if (yes > 0 && no > 0)
        {
            return new ConfirmResult(ConfirmOutcome.Ambiguous, matched);
        }

        if (yes > 0 || no > 0)
        {
            return new ConfirmResult(yes > 0 ? ConfirmOutcome.Yes : ConfirmOutcome.No, matched ?? input.Trim());
        }

        if (options.AcceptChoiceIndex)
        {
            var trimmed = input.Trim().TrimEnd('.', ')');
            if (trimmed == "1")
            {
                return new ConfirmResult(ConfirmOutcome.Yes, trimmed);
            }

            if (trimmed == "2")
            {
                return new ConfirmResult(ConfirmOutcome.No, trimmed);
            }
        }

        return new ConfirmResult(ConfirmOutcome.NoMatch, null);
    }

    private static int SafeCount(Regex regex, string text)
    {
        try
        {
            return regex.Count(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return 0;
        }
    }

    private readonly record struct Word(ConfirmWordKind Kind, string Text);

    private static List<Word> Classify(string text, BotCulture culture)
    {
        var lexicon = ConfirmLexicon.For(culture);
        var tokens = TextFolding.Tokenize(text);
        var words = new List<Word>();
        var i = 0;
        while (i < tokens.Count)
        {
            var found = false;
            for (var length = Math.Min(ConfirmLexicon.LongestPhrase, tokens.Count - i); length >= 1 && !found; length--)
            {
                var key = string.Join(' ', tokens.Skip(i).Take(length).Select(t => t.Text));
                if (!lexicon.TryGetValue(key, out var kind) && length == 1)
                {
                    // "yesss", "siii", "noooo": elongated words are the same answer.
                    lexicon.TryGetValue(CollapseRepeats(key), out kind);
                }

                if (kind != ConfirmWordKind.Other)
                {
                    var first = tokens[i];
                    var last = tokens[i + length - 1];
                    var original = text.Substring(first.Start, last.End - first.Start);
                    // "not fine", "not good": an English "not" turns the affirmation that follows into a no.
                    if (kind == ConfirmWordKind.Yes && words.Count > 0 && words[^1].Text.Equals("not", StringComparison.OrdinalIgnoreCase))
                    {
                        words[^1] = new Word(ConfirmWordKind.No, words[^1].Text);
                        kind = ConfirmWordKind.No;
                    }

                    words.Add(new Word(kind, original));
                    i += length;
                    found = true;
                }
            }

            if (!found)
            {
                words.Add(new Word(ConfirmWordKind.Other, tokens[i].Text));
                i++;
            }
        }

        return words;
    }

    private static string CollapseRepeats(string word)
    {
        var chars = new List<char>(word.Length);
        foreach (var ch in word)
        {
            if (chars.Count == 0 || chars[^1] != ch)
            {
                chars.Add(ch);
            }
        }

        return new string([.. chars]);
    }
}

public sealed record ConfirmOptions
{
    public static ConfirmOptions Default { get; } = new();

    public static ConfirmOptions StrictYes { get; } = new() { Strict = true };

    /// <summary>Only a whole-utterance yes (or no) counts; for confirming writes.</summary>
    public bool Strict { get; init; }

    /// <summary>"1"/"2" answer a numbered "1. Yes 2. No" list; ignored in strict mode.</summary>
    public bool AcceptChoiceIndex { get; init; } = true;
}

public enum ConfirmOutcome
{
    Yes,
    No,
    NoMatch,

    /// <summary>Both a yes and a no ("no wait, yes?").</summary>
    Ambiguous,

    /// <summary>Strict mode only: a yes or no with something else attached ("yes but 5 seats"); ask again.</summary>
    Qualified,
}

public sealed record ConfirmResult(ConfirmOutcome Outcome, string? MatchedText)
{
    public bool Succeeded => Outcome is ConfirmOutcome.Yes or ConfirmOutcome.No;

    /// <summary>True for yes; meaningful only when <see cref="Succeeded"/>.</summary>
    public bool Value => Outcome == ConfirmOutcome.Yes;
}
