using AriaBot.Language;

namespace AriaBot.Tests.Language;

public sealed class LgParserTests
{
    private static (IReadOnlyList<WordTemplate> Templates, List<LanguageProblem> Problems) Parse(string content)
    {
        var problems = new List<LanguageProblem>();
        return (LgParser.Parse(content, "Test/Test.en-US.lg", problems), problems);
    }

    [Fact]
    public void Reads_keys_variations_and_placeholders()
    {
        var (templates, problems) = Parse("""
            > a comment
            # test.greeting
            - Hello ${name}!
            - Hi there, ${name}.

            # test.plain
            - Nothing to fill in.
            """);

        Assert.Empty(problems);
        Assert.Equal(["test.greeting", "test.plain"], templates.Select(t => t.Key));
        var hello = templates[0].Variations[0];
        Assert.Equal(["name"], hello.Placeholders);
        Assert.Equal([new WordSegment("Hello ", false), new WordSegment("name", true), new WordSegment("!", false)], hello.Segments);
        Assert.Equal(3, hello.Line);
    }

    [Fact]
    public void Multi_line_blocks_keep_line_breaks_and_drop_shared_indentation()
    {
        var (templates, problems) = Parse("""
            # test.list
            - ```
              You can:
                - pay ${amount}
              - or stop.
              ```
            """);

        Assert.Empty(problems);
        var text = string.Concat(templates[0].Variations[0].Segments.Select(s => s.IsPlaceholder ? "{" + s.Text + "}" : s.Text));
        Assert.Equal("You can:\n  - pay {amount}\n- or stop.", text);
    }

    [Fact]
    public void Escapes_write_literal_dollars_and_line_breaks()
    {
        var (templates, problems) = Parse("""
            # test.escape
            - Costs \${not a placeholder} and $5.\nNext line \\ done
            """);

        Assert.Empty(problems);
        var segment = Assert.Single(templates[0].Variations[0].Segments);
        Assert.Equal("Costs ${not a placeholder} and $5.\nNext line \\ done", segment.Text);
    }

    [Theory]
    [InlineData("- orphan", "before any '# key'")]
    [InlineData("# test.empty\n", "has no '- ' variation")]
    [InlineData("# test.expr\n- Hi ${user.name}", "only plain placeholders")]
    [InlineData("# test.open\n- Hi ${name", "without a closing")]
    [InlineData("# test.cond\n- IF: ${x}", "conditional variations")]
    [InlineData("# test.params(a, b)\n- x", "template parameters are not supported")]
    [InlineData("# nodot\n- x", "not a valid key")]
    [InlineData("[import](other.lg)", "imports and structured templates")]
    [InlineData("# test.fence\n- ```\nnever closed", "not closed")]
    [InlineData("# test.stray\n- fine\nstray text", "expected '# key'")]
    public void Reports_what_it_cannot_read_with_the_line(string content, string message)
    {
        var (_, problems) = Parse(content);
        var problem = Assert.Single(problems);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 0);
        Assert.StartsWith("Test/Test.en-US.lg:", problem.ToString(), StringComparison.Ordinal);
    }
}
