using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// <see cref="EntityCues"/> lets the understander skip a Recognizers.Text pass; it must never skip one that would
/// have found something. Every training, held-out, entity, tricky and benchmark line of both locales, run through the
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
            .Concat(BenchLines.Where(b => b.Locale == culture.Name).Select(b => b.Text))
            .Distinct(StringComparer.Ordinal)];
    }

    // The benchmarks' lines: the stage profile's mix (which holds bench/AriaBot.Micro's eight) and the bench's unsigned turns.
    private static readonly (string Text, string Locale)[] BenchLines =
        [.. UnderstanderStageCostTests.Mix, ("what can you do?", "en-US")];

    [Theory]
    [MemberData(nameof(Locales))]
    public void A_line_the_cues_rule_out_holds_nothing_for_that_recognizer(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var lines = Lines(culture);
        var missed = new List<string>();
        var (noEmail, noPhone, noDate, noMoney) = (0, 0, 0, 0);
        foreach (var line in lines)
        {
            var numbers = NumberInput.FindAll(line, locale);
            if (!EntityCues.MayHoldEmail(line))
            {
                noEmail++;
                missed.AddRange(EmailInput.FindAll(line, locale).Select(e => $"e-mail '{e.Text}' in '{line}'"));
            }

            if (!EntityCues.MayHoldPhone(line))
            {
                noPhone++;
                missed.AddRange(PhoneInput.FindAll(line, locale, minimumScore: 0).Select(p => $"phone '{p.Text}' in '{line}'"));
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
        Assert.True(noPhone > lines.Count * 0.5, $"phone pass ruled out for {noPhone}/{lines.Count}");
        // The date cue rules out at least half of the lines (the cue before it, any date-like stem of either language and
        // any number, about 60 %).
        Assert.True(noDate > lines.Count * 0.5, $"date pass ruled out for {noDate}/{lines.Count}");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void The_stated_amounts_alone_are_the_stated_amounts_of_every_line(string locale)
    {
        // The understander asks MoneyInput for stated amounts only (no second number pass, issue 22): on every pinned
        // line that must be exactly what the whole money pass answers with a currency stated.
        var culture = BotCulture.Resolve(locale);
        var currency = culture.IsSpanish ? "EUR" : "USD";
        var differ = new List<string>();
        var stated = 0;
        foreach (var line in Lines(culture))
        {
            var all = MoneyInput.FindAll(line, locale, currency).Where(m => m.CurrencyStated).ToList();
            stated += all.Count;
            if (!all.SequenceEqual(MoneyInput.FindStated(line, locale, currency)))
            {
                differ.Add(line);
            }
        }

        Assert.True(differ.Count == 0, string.Join(Environment.NewLine, differ));
        Assert.True(stated > 5, $"only {stated} stated amounts in the {locale} lines: the comparison proves little");
    }

    /// <summary>
    /// Phrases of Recognizers.Text 1.8.13's date definitions (holiday lists, units) that hold no other date word: each is
    /// a date for the model — checked here, so the list stays honest — and the cue must send it to the pass. Before
    /// the third round the cue missed all of these ("quiero el plan blanco" has the date "blanco" for the model).
    /// </summary>
    [Theory]
    [InlineData("mardi gras", "en-US")]
    [InlineData("washington's birthday", "en-US")]
    [InlineData("yuandan", "en-US")]
    [InlineData("pentecost", "en-US")]
    [InlineData("thanks giving", "en-US")]
    [InlineData("all saint's", "en-US")]
    [InlineData("white lover", "en-US")]
    [InlineData("st george", "en-US")]
    [InlineData("all souls", "en-US")]
    [InlineData("guy fawkes", "en-US")]
    [InlineData("cinco de mayo", "en-US")]
    [InlineData("qingming", "en-US")]
    [InlineData("dragon boat", "en-US")]
    [InlineData("tomb sweeping", "en-US")]
    [InlineData("ramazan", "en-US")]
    [InlineData("eid al fitr", "en-US")]
    [InlineData("feast of the sacrifice", "en-US")]
    [InlineData("festival of breaking the fast", "en-US")]
    [InlineData("what is the current date", "en-US")]
    [InlineData("quiero el plan blanco", "es-ES")]
    [InlineData("independencia", "es-ES")]
    [InlineData("martin luther king", "es-ES")]
    [InlineData("halloween", "es-ES")]
    [InlineData("yuandan", "es-ES")]
    [InlineData("este decenio", "es-ES")]
    [InlineData("en 5 mins", "es-ES")]
    [InlineData("dentro de 2 hs", "es-ES")]
    [InlineData("10 segs", "es-ES")]
    public void A_date_the_model_reads_without_another_date_word_is_cued(string text, string locale)
    {
        Assert.NotEmpty(DateTimeInput.FindAll(text, locale, Reference));
        Assert.True(DateCue.MayHoldDate(text, NumberInput.FindAll(text, locale), BotCulture.Resolve(locale)), $"the cue skips '{text}'");
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
    [InlineData("what is the current date", "en-US", true)]
    [InlineData("what's the current, date?", "en-US", true)]
    [InlineData("for the current week", "en-US", true)]
    [InlineData("what is my current plan", "en-US", false)]
    [InlineData("which currency do you bill in", "en-US", false)]
    [InlineData("el mes actual", "es-ES", true)]
    [InlineData("el trimestre actual", "es-ES", true)]
    [InlineData("¿cuál es mi plan actual?", "es-ES", false)]
    public void The_date_cue_reads_the_locales_date_words_and_numbers_where_a_date_can_be_made_of_them(string text, string locale, bool expected) =>
        Assert.Equal(expected, DateCue.MayHoldDate(text, NumberInput.FindAll(text, locale), BotCulture.Resolve(locale)));
}
