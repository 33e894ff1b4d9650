using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class FuzzyTokenMatcherTests
{
    [Theory]
    [InlineData("premum", "premium", 0.85)]
    [InlineData("premuim", "premium", 0.85)]
    [InlineData("gold", "gold", 1.0)]
    [InlineData("prem", "premium", 0.7)]
    [InlineData("pro", "pre", 0)]
    [InlineData("3", "4", 0)]
    [InlineData("silver", "gold", 0)]
    public void Word_quality_tolerates_one_typo_in_long_words_only(string typed, string target, double expected)
    {
        Assert.Equal(expected, FuzzyTokenMatcher.WordQuality(typed, target));
    }

    [Fact]
    public void Generic_and_shared_words_are_not_evidence()
    {
        IReadOnlyList<IReadOnlyList<string>> options = [["Gold Plan"], ["Silver Plan"]];
        Assert.Empty(FuzzyTokenMatcher.Match("change my plan", options));
        var match = Assert.Single(FuzzyTokenMatcher.Match("switch me to gold with 3 seats", options));
        Assert.Equal(0, match.OptionIndex);
        Assert.Equal("gold", "switch me to gold with 3 seats"[match.Start..match.End]);
    }

    [Fact]
    public void Numbers_in_names_must_match_exactly()
    {
        IReadOnlyList<IReadOnlyList<string>> options = [["Data 100"], ["Data 200"]];
        var match = FuzzyTokenMatcher.Match("the 200 one", options);
        Assert.Equal(1, Assert.Single(match).OptionIndex);
    }
}
