using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>The open-set rule alone, and what an off-topic reading looks like to the dialogs.</summary>
public sealed class OpenSetTests
{
    // The rule's parts, each switched on: the defaults turn the close-call part off (OffTopicMargin 0), which
    // Defaults_need_a_clear_off_topic_win_and_leave_close_calls_to_did_you_mean pins.
    private static readonly UnderstandingOptions Options = new()
    {
        ConfidenceThreshold = 0.45, OffTopicMinimum = 0.35, OffTopicMargin = 0.2, OffTopicContender = 0.2,
    };

    private static readonly Lazy<Words> SharedWords = new(() =>
        new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _))));

    private static readonly Lazy<Understander> Shared = new(() =>
        new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), new FakeTimeProvider()));

    [Fact]
    public void Off_topic_winning_clearly_is_off_topic_but_a_weak_win_is_still_asked_about()
    {
        IntentScore[] scores = [new(Intent.PlaceOrder, 0.3), new(Intent.Help, 0.1)];
        Assert.True(OpenSet.IsOffTopic(scores, 0.5, Options));
        Assert.False(OpenSet.IsOffTopic([new(Intent.PlaceOrder, 0.32), new(Intent.Help, 0.05)], 0.33, Options));
    }

    [Fact]
    public void A_confident_intent_is_never_off_topic_and_a_close_weak_call_with_off_topic_near_is()
    {
        Assert.False(OpenSet.IsOffTopic([new(Intent.CancelPlan, 0.7), new(Intent.Cancel, 0.1)], 0.2, Options));
        Assert.True(OpenSet.IsOffTopic([new(Intent.Help, 0.3), new(Intent.ViewAccount, 0.25)], 0.28, Options));
        Assert.False(OpenSet.IsOffTopic([new(Intent.Help, 0.3), new(Intent.ViewAccount, 0.25)], 0.05, Options));
    }

    [Fact]
    public void Defaults_need_a_clear_off_topic_win_and_leave_close_calls_to_did_you_mean()
    {
        var defaults = new UnderstandingOptions();
        Assert.True(OpenSet.IsOffTopic([new(Intent.PlaceOrder, 0.2), new(Intent.Help, 0.1)], 0.62, defaults));
        Assert.False(OpenSet.IsOffTopic([new(Intent.PlaceOrder, 0.3), new(Intent.Help, 0.1)], 0.5, defaults));
        Assert.False(OpenSet.IsOffTopic([new(Intent.Help, 0.3), new(Intent.ViewAccount, 0.29)], 0.28, defaults));
    }

    [Theory]
    [InlineData("what's the capital of France", "en-US")]
    [InlineData("cuál es la capital de Francia", "es-ES")]
    public void An_off_topic_reading_is_None_with_nothing_to_suggest(string text, string locale)
    {
        var result = Shared.Value.Understand(text, locale);
        Assert.True(result.IsOffTopic);
        Assert.Equal(Intent.None, result.Intent);
        Assert.False(result.IsConfident);
        Assert.Empty(result.Suggestions);
        Assert.DoesNotContain(result.Intents, s => s.Intent == Intent.None);
        Assert.Null(DidYouMean.For(result, SharedWords.Value, locale));
    }

    [Theory]
    [InlineData("switch me to gold", "en-US", Intent.SwitchPlan)]
    [InlineData("quiero pagar mi factura", "es-ES", Intent.MakePayment)]
    public void Plain_requests_are_not_off_topic(string text, string locale, Intent intent)
    {
        var result = Shared.Value.Understand(text, locale);
        Assert.False(result.IsOffTopic);
        Assert.Equal(intent, result.Intent);
    }
}
