using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("Sí, ADELANTE", "si, adelante")]
    [InlineData("Opción Número", "opcion numero")]
    [InlineData("contraseña", "contrasena")]
    [InlineData("👍 ok", "👍 ok")]
    public void Fold_removes_case_and_accents_keeping_positions(string text, string expected)
    {
        var folded = TextFolding.Fold(text);
        Assert.Equal(expected, folded);
        Assert.Equal(text.Length, folded.Length);
    }

    [Fact]
    public void Tokenize_keeps_apostrophes_inside_words_and_reports_positions()
    {
        var tokens = TextFolding.Tokenize("That's it, the Gold-plan!");
        Assert.Equal(["that's", "it", "the", "gold", "plan"], tokens.Select(t => t.Text));
        Assert.Equal(15, tokens[3].Start);
    }

    [Fact]
    public void Every_character_folds_as_its_canonical_decomposition_says_the_first_time_and_after()
    {
        // The fold of a non-ASCII character is kept after its first use (issue 22); the kept value must be the one string
        // normalisation gives, for every character of the BMP, on the first call and on the calls served from the table.
        for (var round = 0; round < 2; round++)
        {
            var wrong = new List<string>();
            for (var code = 0; code <= char.MaxValue; code++)
            {
                var ch = (char)code;
                if (TextFolding.FoldChar(ch) != TextFolding.FoldByNormalisation(ch))
                {
                    wrong.Add($"U+{code:X4}");
                }
            }
            Assert.True(wrong.Count == 0, $"round {round}: {wrong.Count} characters fold differently, e.g. {string.Join(", ", wrong.Take(10))}");
        }
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("what can you do?")]
    [InlineData("")]
    [InlineData("already folded, 42 times: si")]
    public void Text_that_folds_to_itself_is_returned_as_it_is(string text) =>
        Assert.Same(text, TextFolding.Fold(text));

    [Theory]
    [InlineData("hi Ñandú")]
    [InlineData("what CAN you do?")]
    [InlineData("Ünïcödé → ÀÉÎÕÜ, ça va — «Sí»")]
    public void Fold_is_the_fold_of_each_character(string text) =>
        Assert.Equal(new string([.. text.Select(TextFolding.FoldByNormalisation)]), TextFolding.Fold(text));
}
