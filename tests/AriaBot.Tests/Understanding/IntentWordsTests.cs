using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

public sealed class IntentWordsTests
{
    [Fact]
    public void Every_intent_has_a_distinct_label_in_both_locales()
    {
        var words = new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _)));
        foreach (var locale in new[] { "en-US", "es-ES" })
        {
            var labels = Intents.Trainable.Select(i => words.Format(IntentWords.Label(i), locale)).ToList();
            Assert.Equal(labels.Count, labels.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => IntentWords.Label(Intent.None));
    }

    private static readonly Lazy<Words> SharedWords = new(() =>
        new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _))));

    [Theory]
    [InlineData("en-US")]
    [InlineData("es-ES")]
    public void A_pressed_label_button_is_its_intent_with_certainty(string locale)
    {
        var understander = new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), new FakeTimeProvider(), words: SharedWords.Value);
        foreach (var intent in Intents.Trainable)
        {
            var result = understander.Understand(SharedWords.Value.Format(IntentWords.Label(intent), locale), locale);
            Assert.Equal(intent, result.Intent);
            Assert.Equal(1.0, result.Score);
            Assert.True(result.IsConfident);
        }
    }

    [Theory]
    [InlineData("en-US", "Just to be sure: did you mean \"Switch my plan\" or \"Cancel a plan\"?", "Neither of those")]
    [InlineData("es-ES", "Para asegurarme: ¿te refieres a «Cambiar de plan» o a «Dar de baja un plan»?", "Ninguna de las dos")]
    public void Did_you_mean_offers_the_top_two_as_buttons(string locale, string text, string neither)
    {
        var result = new UnderstandingResult
        {
            Text = "plan",
            Culture = BotRuntime.Recognition.BotCulture.Resolve(locale),
            Intent = Intent.SwitchPlan,
            Score = 0.4,
            IsConfident = false,
            Intents = [new(Intent.SwitchPlan, 0.4), new(Intent.CancelPlan, 0.35), new(Intent.AddPlan, 0.25)],
            Suggestions = [new(Intent.SwitchPlan, 0.4), new(Intent.CancelPlan, 0.35)],
            Entities = UnderstoodEntities.None("USD"),
            CatalogMatches = [],
            CatalogAmbiguous = false,
            Privacy = BotRuntime.Privacy.SensitiveText.Redact("plan"),
        };

        var offer = DidYouMean.For(result, SharedWords.Value, locale);
        Assert.NotNull(offer);
        Assert.Equal(text, offer.Text);
        Assert.Equal([Intent.SwitchPlan, Intent.CancelPlan], offer.Options.Select(o => o.Intent));
        Assert.Equal(neither, offer.NeitherLabel);
        Assert.Null(DidYouMean.For(result with { IsConfident = true, Suggestions = [] }, SharedWords.Value, locale));
    }
}
