using System.Text.RegularExpressions;
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
    public void The_redaction_patterns_have_no_wall_clock_timeout_that_load_could_trip()
    {
        Assert.Equal(Regex.InfiniteMatchTimeout, LowConfidenceMessages.EmailPattern().MatchTimeout);
        Assert.Equal(Regex.InfiniteMatchTimeout, LowConfidenceMessages.DigitPattern().MatchTimeout);
    }

    /// <summary>What the patterns replaced before they became linear: the same text, on the backtracking engine.</summary>
    private static string RedactedAsBefore(string text) =>
        Regex.Replace(Regex.Replace(text, @"[^\s@]+@[^\s@]+", "[email]", RegexOptions.CultureInvariant), @"\d", "#", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("mail bob@example.com or ana.b+tag@sub.example.co.uk, thanks")]
    [InlineData("a@b@c and @lead trail@ and @@ and x@@y")]
    [InlineData("tabs\tbob@x.io\nnext line me@here")]
    [InlineData("mi correo es añadir@ejemplo.es y el código 381920")]
    [InlineData("card 4242-4242-4242-4242 exp 12/29 cvv 123 ٣٤٥")]
    [InlineData("no mail, no digits")]
    [InlineData("")]
    public void Redaction_answers_as_before(string text)
    {
        Assert.Equal(RedactedAsBefore(text), LowConfidenceMessages.Redact(text));
    }

    public static TheoryData<string, string, string> LongShapes() => new()
    {
        { "a long run that almost matches", new string('a', 100_000) + "@@", new string('a', 100_000) + "@@" },
        { "only at signs", new string('@', 100_000), new string('@', 100_000) },
        { "matches that share their at signs", string.Concat(Enumerable.Repeat("a@", 50_000)), string.Concat(Enumerable.Repeat("[email]@", 25_000)) },
        { "one long address", "x@" + new string('y', 100_000) + "@", "[email]@" },
        { "many addresses", string.Concat(Enumerable.Repeat("bob@example.com ", 10_000)), string.Concat(Enumerable.Repeat("[email] ", 10_000)) },
        { "a long digit run", new string('7', 100_000), new string('#', 100_000) },
    };

    [Theory]
    [MemberData(nameof(LongShapes))]
    public void Long_adversarial_messages_are_redacted_in_full_and_right(string shape, string text, string expected)
    {
        Assert.True(LowConfidenceMessages.Redact(text) == expected, shape);
    }

    [Fact]
    public void Switched_off_nothing_is_kept()
    {
        var (understander, kept, _) = Create(new LowConfidenceOptions { Enabled = false });
        understander.Understand("tell me a joke", "en-US");
        Assert.Empty(kept.Snapshot());
    }
}
