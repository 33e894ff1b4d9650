using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding;

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
            .Concat(UnderstandingLines.EntityLines(culture))
            .Concat(UnderstandingLines.Tricky.Select(t => t.Text))
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

            if (!DateCue.MayHoldDate(line, numbers, culture))
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
        // The date cue rules out at least half of the lines (the cue before it, any date-like stem of either language and
        // any number, about 60 %).
        Assert.True(noDate > lines.Count * 0.5, $"date pass ruled out for {noDate}/{lines.Count}");
    }

    [Theory]
    [InlineData("next friday", "en-US", true)]
    [InlineData("el próximo viernes", "es-ES", true)]
    [InlineData("pasado mañana", "es-ES", true)]
    [InlineData("in three weeks", "en-US", true)]
    [InlineData("at 5", "en-US", true)]
    [InlineData("wake me up at six", "en-US", true)]
    [InlineData("a las seis", "es-ES", true)]
    [InlineData("exp 12/29", "en-US", true)]
    [InlineData("at 5pm", "en-US", true)]
    [InlineData("hello there", "en-US", false)]
    [InlineData("cancela el soporte", "es-ES", false)]
    [InlineData("show my bill", "en-US", false)]
    [InlineData("order 3 usb headsets", "en-US", false)]
    [InlineData("cuéntame un chiste", "es-ES", false)]
    [InlineData("¿cómo compro todo?", "es-ES", false)]
    [InlineData("viernes", "en-US", false)]
    [InlineData("take me down to the starter plan", "en-US", false)]
    [InlineData("is it possible to move to another plan", "en-US", false)]
    [InlineData("I need a new router", "en-US", false)]
    [InlineData("as soon as possible", "en-US", true)]
    [InlineData("happy new year", "en-US", true)]
    [InlineData("starting on monday", "en-US", true)]
    [InlineData("from the start of next month", "en-US", true)]
    public void The_date_cue_reads_the_locales_date_words_and_numbers_where_a_date_can_be_made_of_them(string text, string locale, bool expected) =>
        Assert.Equal(expected, DateCue.MayHoldDate(text, NumberInput.FindAll(text, locale), BotCulture.Resolve(locale)));
}
