using AriaBot.Language;

namespace AriaBot.Tests.Language;

public sealed class LuParserTests
{
    [Fact]
    public void Reads_intents_and_utterances()
    {
        var problems = new List<LanguageProblem>();
        var intents = LuParser.Parse("""
            > comment
            # SwitchPlan
            - switch me to gold
            - change my plan

            # Greeting
            * hello
            """, "Intents/Intents.en-US.lu", problems);

        Assert.Empty(problems);
        Assert.Equal(["SwitchPlan", "Greeting"], intents.Select(i => i.Name));
        Assert.Equal(["switch me to gold", "change my plan"], intents[0].Utterances.Select(u => u.Text));
        Assert.Equal(3, intents[0].Utterances[0].Line);
    }

    [Theory]
    [InlineData("- orphan", "before any '# Intent'")]
    [InlineData("# Empty", "has no '- ' utterance")]
    [InlineData("# Pay\n- pay {amount=50}", "entity labels")]
    [InlineData("@ ml amount", "entity definitions")]
    [InlineData("## Sub\n- x", "nested sections")]
    [InlineData("# Bad Name\n- x", "not an intent name")]
    public void Reports_unsupported_lu(string content, string message)
    {
        var problems = new List<LanguageProblem>();
        LuParser.Parse(content, "x.lu", problems);
        Assert.Contains(problems, p => p.Message.Contains(message, StringComparison.Ordinal));
    }
}
