using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>Issue 23, step 6: messages read without confidence are kept for training, redacted, bounded and expiring.</summary>
public sealed class LowConfidenceMessagesTests
{
    private static readonly Lazy<IntentExamples> Training = new(() => IntentExamples.LoadValidated(DialogsFolder.DefaultPath));

    private static (Understander Understander, LowConfidenceMessages Kept, FakeTimeProvider Time) Create(LowConfidenceOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var kept = new LowConfidenceMessages(time, options);
        return (new Understander(Training.Value, time, kept: kept), kept, time);
    }

    [Theory]
    [InlineData("my card is 4242 4242 4242 4242, cvv 123, mail bob@example.com, what's the weather", "en-US")]
    [InlineData("mi tarjeta 4000 0000 0000 0002 caduca 12/29, código 381920, escríbeme a ana@example.es, ¿qué tiempo hace?", "es-ES")]
    [InlineData("my password is Hunter22 and the code is 493021 tell me a joke", "en-US")]
    public void What_is_kept_holds_no_digit_no_email_and_no_secret(string message, string locale)
    {
        var (understander, kept, _) = Create();
        var result = understander.Understand(message, locale);
        Assert.False(result.IsConfident && !result.IsOffTopic);

        var entry = Assert.Single(kept.Snapshot());
        Assert.DoesNotMatch(@"\d", entry.Text);
        Assert.DoesNotContain("@", entry.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter", entry.Text, StringComparison.Ordinal);
        Assert.Equal(locale, entry.Locale);
    }

    [Fact]
    public void A_confident_reading_is_not_kept()
    {
        var (understander, kept, _) = Create();
        Assert.True(understander.Understand("show me my statements", "en-US").IsConfident);
        Assert.Empty(kept.Snapshot());
    }

    [Fact]
    public void The_oldest_go_first_beyond_the_capacity_and_all_go_after_keep_for()
    {
        var (understander, kept, time) = Create(new LowConfidenceOptions { Capacity = 2, KeepFor = TimeSpan.FromDays(1) });
        understander.Understand("tell me a joke", "en-US");
        time.Advance(TimeSpan.FromMinutes(1));
        understander.Understand("what's the capital of Peru", "en-US");
        time.Advance(TimeSpan.FromMinutes(1));
        understander.Understand("who won the football last night", "en-US");

        Assert.Equal(["what's the capital of Peru", "who won the football last night"], kept.Snapshot().Select(m => m.Text));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Empty(kept.Snapshot());
    }

    [Fact]
    public void Switched_off_nothing_is_kept()
    {
        var (understander, kept, _) = Create(new LowConfidenceOptions { Enabled = false });
        understander.Understand("tell me a joke", "en-US");
        Assert.Empty(kept.Snapshot());
    }
}
