using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class ChoiceInputTests
{
    private static readonly Choice[] Plans =
    [
        new("Gold Plan", ["oro"]),
        new("Silver Plan", ["plata"]),
        new("Premium Plus"),
        new("Basic"),
    ];

    [Theory]
    [InlineData("Gold Plan", "en-US", "Gold Plan", ChoiceMatchKind.Exact)]
    [InlineData("gold plan!", "en-US", "Gold Plan", ChoiceMatchKind.Exact)]
    [InlineData("the gold plan please", "en-US", "Gold Plan", ChoiceMatchKind.Exact)]
    [InlineData("Oro", "es-ES", "Gold Plan", ChoiceMatchKind.Synonym)]
    [InlineData("el de plata, por favor", "es-ES", "Silver Plan", ChoiceMatchKind.Synonym)]
    [InlineData("2", "en-US", "Silver Plan", ChoiceMatchKind.Index)]
    [InlineData("number 3", "en-US", "Premium Plus", ChoiceMatchKind.Index)]
    [InlineData("two", "en-US", "Silver Plan", ChoiceMatchKind.Index)]
    [InlineData("opción 4", "es-ES", "Basic", ChoiceMatchKind.Index)]
    [InlineData("the second one", "en-US", "Silver Plan", ChoiceMatchKind.Ordinal)]
    [InlineData("the last one", "en-US", "Basic", ChoiceMatchKind.Ordinal)]
    [InlineData("first", "en-US", "Gold Plan", ChoiceMatchKind.Ordinal)]
    [InlineData("la segunda", "es-ES", "Silver Plan", ChoiceMatchKind.Ordinal)]
    [InlineData("el último", "es-ES", "Basic", ChoiceMatchKind.Ordinal)]
    [InlineData("la penúltima opción", "es-ES", "Premium Plus", ChoiceMatchKind.Ordinal)]
    [InlineData("gold", "en-US", "Gold Plan", ChoiceMatchKind.Exact)]
    [InlineData("I'd like the silver one", "en-US", "Silver Plan", ChoiceMatchKind.Exact)]
    [InlineData("premium", "en-US", "Premium Plus", ChoiceMatchKind.Partial)]
    [InlineData("silver for me", "en-US", "Silver Plan", ChoiceMatchKind.Partial)]
    [InlineData("me quedo con el premium", "es-ES", "Premium Plus", ChoiceMatchKind.Partial)]
    [InlineData("premum", "en-US", "Premium Plus", ChoiceMatchKind.Fuzzy)]
    [InlineData("silvr", "en-US", "Silver Plan", ChoiceMatchKind.Fuzzy)]
    public void Finds_the_choice(string text, string locale, string expected, ChoiceMatchKind kind)
    {
        var result = ChoiceInput.Recognize(text, Plans, locale);
        Assert.True(result.Succeeded, result.Outcome.ToString());
        Assert.Equal(expected, result.Match!.Value);
        Assert.Equal(kind, result.Match.Kind);
        Assert.Equal(Array.FindIndex(Plans, p => p.Value == expected), result.Match.Index);
    }

    [Fact]
    public void Reports_the_synonym_that_matched()
    {
        var result = ChoiceInput.Recognize("plata", Plans, "es-ES");
        Assert.Equal("plata", result.Match!.Synonym);
        Assert.Equal(1.0, result.Match.Score);
    }

    [Theory]
    [InlineData("platinum")]
    [InlineData("5")]
    [InlineData("0")]
    [InlineData("the fifth one")]
    [InlineData("plan")]
    [InlineData("")]
    [InlineData("the weather")]
    public void Fails_when_no_choice_fits(string text)
    {
        var result = ChoiceInput.Recognize(text, Plans, "en-US");
        Assert.Equal(ChoiceOutcome.NoMatch, result.Outcome);
        Assert.Null(result.Match);
    }

    [Fact]
    public void Equally_good_partial_matches_are_ambiguous_not_guessed()
    {
        Choice[] golds = [new("Gold Monthly"), new("Gold Annual"), new("Silver Monthly")];
        var result = ChoiceInput.Recognize("gold", golds, "en-US");
        Assert.Equal(ChoiceOutcome.Ambiguous, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(["Gold Monthly", "Gold Annual"], result.Candidates.Select(c => c.Value));

        var precise = ChoiceInput.Recognize("gold annual", golds, "en-US");
        Assert.Equal("Gold Annual", precise.Match!.Value);
    }

    [Fact]
    public void Numeric_choices_match_by_value_not_by_position()
    {
        Choice[] seats = [new("5"), new("10"), new("20")];
        Assert.Equal("10", ChoiceInput.Recognize("10", seats, "en-US").Match!.Value);
        Assert.False(ChoiceInput.Recognize("2", seats, "en-US").Succeeded);
    }
}
