using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding.Oracle;

/// <summary>
/// <see cref="EntityCues"/> lets the understander skip a Recognizers.Text pass; it must never skip one that would
/// have found something. Every training, held-out, entity and tricky line of both locales, run through the
/// recognizer the cue ruled out, must give nothing; and the cues must rule out a fair share of lines (or they save nothing).
/// </summary>
public sealed class EntityCueTests
{
    private static readonly DateTime Reference = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Unspecified);

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    private static List<string> Lines(BotCulture culture)
    {
        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        return [.. examples.For(culture).Select(e => e.Text)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .Concat(FastPathOracleTests.EntityLines(culture))
            .Concat(FastPathOracleTests.Tricky.Select(t => t.Text))
            .Distinct(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void A_line_the_cues_rule_out_holds_nothing_for_that_recognizer(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var lines = Lines(culture);
        var missed = new List<string>();
        var (noEmail, noDate, noMoney) = (0, 0, 0);
        foreach (var line in lines)
        {
            var numbers = NumberInput.FindAll(line, locale);
            if (!EntityCues.MayHoldEmail(line))
            {
                noEmail++;
                missed.AddRange(EmailInput.FindAll(line, locale).Select(e => $"e-mail '{e.Text}' in '{line}'"));
            }

            if (!EntityCues.MayHoldDate(line, numbers))
            {
                noDate++;
                missed.AddRange(DateTimeInput.FindAll(line, locale, Reference).Select(d => $"date '{d.Text}' in '{line}'"));
            }

            if (!EntityCues.MayHoldMoney(line, numbers))
            {
                noMoney++;
                missed.AddRange(MoneyInput.FindAll(line, locale, culture.IsSpanish ? "EUR" : "USD").Where(m => m.CurrencyStated).Select(m => $"amount '{m.Text}' in '{line}'"));
            }
        }

        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
        // Most lines have no e-mail, no amount and no date: the cues must see that for a good share of them.
        Assert.True(noEmail > lines.Count * 0.9, $"e-mail pass ruled out for {noEmail}/{lines.Count}");
        Assert.True(noMoney > lines.Count * 0.5, $"amount pass ruled out for {noMoney}/{lines.Count}");
        Assert.True(noDate > lines.Count * 0.2, $"date pass ruled out for {noDate}/{lines.Count}");
    }

    [Theory]
    [InlineData("next friday", true)]
    [InlineData("el próximo viernes", true)]
    [InlineData("pasado mañana", true)]
    [InlineData("in three weeks", true)]
    [InlineData("at 5", true)]
    [InlineData("hello there", false)]
    [InlineData("cancela el soporte", false)]
    public void The_date_cue_reads_date_words_digits_and_numbers(string text, bool expected)
    {
        var locale = text.Contains('ó', StringComparison.Ordinal) || text.Contains("mañana", StringComparison.Ordinal) || text.Contains("cancela", StringComparison.Ordinal) ? "es-ES" : "en-US";
        Assert.Equal(expected, EntityCues.MayHoldDate(text, NumberInput.FindAll(text, locale)));
    }
}
