using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// A message written in the other supported language is understood in it when the caller allows it
/// (<see cref="UnderstandingContext.TryOtherLanguages"/>), and no line of either language's training or held-out set
/// is ever taken for the other language.
/// </summary>
public sealed class OtherLanguageTests
{
    private static readonly Lazy<Understander> Shared = new(() =>
        new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero))));

    private static readonly UnderstandingContext Allowed = new() { Catalog = UnderstandingLines.Catalog, TryOtherLanguages = true };

    [Theory]
    [InlineData("quiero pagar mi factura", "en-US", "es-ES", Intent.MakePayment)]
    [InlineData("hola, buenos días", "en-US", "es-ES", Intent.Greeting)]
    [InlineData("necesito ver mis facturas", "en-US", "es-ES", Intent.ViewStatements)]
    [InlineData("I want to pay my bill", "es-ES", "en-US", Intent.MakePayment)]
    [InlineData("show me my invoices please", "es-ES", "en-US", Intent.ViewStatements)]
    public void A_message_in_the_other_language_is_understood_in_it(string text, string locale, string written, Intent intent)
    {
        var alone = Shared.Value.Understand(text, locale, Allowed with { TryOtherLanguages = false });
        Assert.False(alone.IsConfident, $"\"{text}\" is already understood in {locale}: the test proves nothing");

        var result = Shared.Value.Understand(text, locale, Allowed);

        Assert.Equal(written, result.Culture.Name);
        Assert.True(result.IsConfident);
        Assert.Equal(intent, result.Intent);
    }

    [Theory]
    [InlineData("I want to pagar", "en-US")] // mixed: a word only English knows
    [InlineData("factura", "en-US")] // one word is no language
    [InlineData("blorp zzk", "en-US")]
    [InlineData("Maria Lopez", "en-US")]
    [InlineData("quiero", "en-US")]
    [InlineData("what is the weather like", "es-ES")] // English, but not something the bot does: stays unanswered in Spanish
    public void A_message_that_does_not_read_as_the_other_language_stays_in_its_own(string text, string locale)
    {
        var result = Shared.Value.Understand(text, locale, Allowed);

        Assert.Equal(locale, result.Culture.Name);
    }

    [Fact]
    public void No_training_or_held_out_line_is_taken_for_the_other_language()
    {
        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        var switched = new List<string>();
        foreach (var culture in BotCulture.Supported)
        {
            var lines = examples.For(culture).Select(example => example.Text)
                .Concat(IntentAccuracyTests.HeldOut(culture).Select(example => example.Text))
                .Concat(UnderstandingLines.EntityLines(culture))
                .Distinct(StringComparer.Ordinal);
            switched.AddRange(lines
                .Where(line => Shared.Value.Understand(line, culture.Name, Allowed).Culture != culture)
                .Select(line => $"{culture.Name}: {line}"));
        }

        Assert.Empty(switched);
    }
}
