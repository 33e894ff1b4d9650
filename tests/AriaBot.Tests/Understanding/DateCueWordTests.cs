using System.Reflection;
using System.Text.RegularExpressions;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// A word taken out of <see cref="DateCue"/> must never be what lets the date model find a date. For each such word,
/// the model is run on a corpus built around it: the word alone and with its endings, beside every word the locale's
/// date definitions spell (before and after it, after an article or a possessive, with a number), and every pinned line
/// holding it. Wherever the cue now rules a text out, the model must find nothing; and the corpus must hold texts the
/// word alone used to send to the pass (or the test proves nothing).
/// </summary>
public sealed partial class DateCueWordTests
{
    private static readonly DateTime Reference = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Unspecified);

    [Theory]
    [InlineData("last", "en-US")]
    public void A_word_the_cue_no_longer_reads_gives_the_model_no_date_on_its_own(string dropped, string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var corpus = Corpus(dropped, culture);
        var ruledOut = 0;
        var missed = new List<string>();
        foreach (var text in corpus)
        {
            if (!DateCue.MayHoldDate(text, NumberInput.FindAll(text, locale), culture))
            {
                ruledOut++;
                missed.AddRange(DateTimeInput.FindAll(text, locale, Reference).Select(d => $"'{d.Text}' in '{text}'"));
            }
        }

        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
        Assert.True(ruledOut > 1000, $"only {ruledOut} of {corpus.Count} texts around '{dropped}' ruled out: the test proves little");
    }

    [Theory]
    [InlineData("show me my last statement", "en-US", false)]
    [InlineData("what was my last payment", "en-US", false)]
    [InlineData("last", "en-US", false)]
    [InlineData("last week", "en-US", true)]
    [InlineData("my last 3 invoices", "en-US", true)]
    [InlineData("since last monday", "en-US", true)]
    [InlineData("the last day of the month", "en-US", true)]
    [InlineData("the latest one", "en-US", true)]
    public void The_date_cue_reads_last_only_beside_a_date_word_or_a_number(string text, string locale, bool expected) =>
        Assert.Equal(expected, DateCue.MayHoldDate(text, NumberInput.FindAll(text, locale), BotCulture.Resolve(locale)));

    private static HashSet<string> Corpus(string dropped, BotCulture culture)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        string[] forms = [dropped, $"{dropped}ly", $"{dropped}s", $"{dropped}ing", $"{dropped}ed", dropped.ToUpperInvariant()];
        string[] around = ["the", "my", "a", "on the", "at", "by", "of the", "3", "three", "next", "this", "until", "before", "ago"];
        foreach (var form in forms)
        {
            texts.Add(form);
            foreach (var word in DefinitionWords(culture).Concat(around))
            {
                texts.Add($"{form} {word}");
                texts.Add($"{word} {form}");
                texts.Add($"the {form} {word}");
                texts.Add($"{word} the {form}");
                texts.Add($"my {form} {word}");
            }
        }

        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        texts.UnionWith(examples.For(culture).Select(e => e.Text)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .Concat(UnderstandingLines.EntityLines(culture))
            .Concat(UnderstandingLines.Tricky.Select(t => t.Text))
            .Where(line => line.Contains(dropped, StringComparison.OrdinalIgnoreCase)));
        return texts;
    }

    /// <summary>The letter words spelt by the pattern strings of the locale's date definitions, character classes expanded.</summary>
    private static List<string> DefinitionWords(BotCulture culture)
    {
        var type = culture.IsSpanish ? typeof(Microsoft.Recognizers.Definitions.Spanish.DateTimeDefinitions) : typeof(Microsoft.Recognizers.Definitions.English.DateTimeDefinitions);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var values = field.GetValue(null) switch
            {
                string pattern => [pattern],
                IEnumerable<string> list => list,
                System.Collections.IDictionary map => map.Keys.Cast<object>().Concat(map.Values.Cast<object>()).OfType<string>(),
                _ => [],
            };
            foreach (var value in values)
            {
                foreach (Match word in SpeltWord().Matches(EscapeOrGroupName().Replace(value, " ")))
                {
                    words.UnionWith(Expand(word.Value));
                }
            }
        }

        return [.. words];
    }

    private static IEnumerable<string> Expand(string word)
    {
        var open = word.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return [word];
        }

        var close = word.IndexOf(']', open);
        var head = word[..open];
        return word[(open + 1)..close].SelectMany(option => Expand(word[(close + 1)..]).Select(tail => head + option + tail));
    }

    [GeneratedRegex(@"\\[a-zA-Z](\{[^}]*\})?|\?<[a-zA-Z]+>")]
    private static partial Regex EscapeOrGroupName();

    [GeneratedRegex(@"[a-záéíóúñü]+(\[[a-záéíóúñü]+\][a-záéíóúñü]*)*|\[[a-záéíóúñü]+\][a-záéíóúñü]+")]
    private static partial Regex SpeltWord();
}
