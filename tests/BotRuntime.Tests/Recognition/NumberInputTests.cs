using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class NumberInputTests
{
    [Theory]
    [InlineData("3", "en-US", 3)]
    [InlineData("three", "en-US", 3)]
    [InlineData("3 seats", "en-US", 3)]
    [InlineData("I need twenty five users", "en-US", 25)]
    [InlineData("1,000", "en-US", 1000)]
    [InlineData("3.5", "en-US", 3.5)]
    [InlineData("tres", "es-ES", 3)]
    [InlineData("3,5", "es-ES", 3.5)]
    [InlineData("quiero 4 licencias", "es-ES", 4)]
    [InlineData("veinticinco", "es-ES", 25)]
    [InlineData("1.000", "es-ES", 1000)]
    [InlineData("3 seats", "es-MX", 3)]
    [InlineData("-5", "en-US", -5)]
    public void Recognize_reads_digits_and_words(string text, string locale, double expected)
    {
        var result = NumberInput.Recognize(text, locale);
        Assert.True(result.Succeeded, result.Outcome.ToString());
        Assert.Equal((decimal)expected, result.Value);
    }

    [Theory]
    [InlineData("", "en-US")]
    [InlineData("lots", "en-US")]
    [InlineData("muchos", "es-ES")]
    [InlineData("the last one", "en-US")]
    [InlineData("the second one", "en-US")]
    public void Recognize_fails_without_a_number(string text, string locale)
    {
        var result = NumberInput.Recognize(text, locale);
        Assert.False(result.Succeeded);
        Assert.Equal(NumberOutcome.NoMatch, result.Outcome);
    }

    [Theory]
    [InlineData("3 or 4", "en-US")]
    [InlineData("3 o 4", "es-ES")]
    public void Two_different_numbers_are_ambiguous(string text, string locale)
    {
        var result = NumberInput.Recognize(text, locale);
        Assert.Equal(NumberOutcome.Ambiguous, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.All.Count);
    }

    [Fact]
    public void Integer_access_refuses_fractions()
    {
        Assert.True(NumberInput.Recognize("7 users", "en-US").TryGetInt32(out var seven));
        Assert.Equal(7, seven);
        Assert.False(NumberInput.Recognize("2,5", "es-ES").TryGetInt32(out _));
    }

    [Fact]
    public void Matches_point_at_the_original_text()
    {
        var result = NumberInput.Recognize("I want THREE seats", "en-US");
        Assert.Equal("THREE", result.MatchedText);
        Assert.Equal(7, result.Start);
    }

    [Fact]
    public void Odd_input_never_throws()
    {
        var junk = new string('9', 5000) + " \u0000 \uD83D";
        var result = NumberInput.Recognize(junk, "zz-ZZ");
        Assert.NotNull(result);
    }
}
