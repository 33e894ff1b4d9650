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
}
