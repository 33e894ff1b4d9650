using System.Globalization;
using System.Text;
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
    public void Every_character_folds_as_decomposing_it_does()
    {
        // FoldChar answers non-ASCII characters from a table filled on first use (issue 22); the table must hold
        // exactly what decomposing the character gives, for every UTF-16 code unit, read twice (filled, then read).
        var wrong = new List<string>();
        for (var round = 0; round < 2; round++)
        {
            for (var code = 0; code <= char.MaxValue; code++)
            {
                var ch = (char)code;
                var (expected, actual) = (Try(Decomposed, ch), Try(TextFolding.FoldChar, ch));
                if (expected != actual)
                {
                    wrong.Add($"U+{code:X4} folds to {actual}, not {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Take(20)));
    }

    [Fact]
    public void Normalising_to_form_d_survives_what_string_normalize_refuses()
    {
        Assert.Throws<ArgumentException>(() => "a\ufffeb".Normalize(System.Text.NormalizationForm.FormD));
        Assert.Equal("a\ufffdb", TextFolding.NormalizeFormD("a\ufffeb"));
        Assert.Equal("a\ufffdb\ufffd", TextFolding.NormalizeFormD("a\ud800b\udc00"));
        Assert.Equal("\ud83d\udcb3 an\u0303o", TextFolding.NormalizeFormD("\ud83d\udcb3 año"));
        Assert.Equal("\ufffd\ud83d\udcb3", TextFolding.NormalizeFormD("\ufffe\ud83d\udcb3"));
        Assert.Equal('\ufffe', TextFolding.FoldChar('\ufffe'));
    }

    [Fact]
    public void Folding_a_non_ascii_character_allocates_nothing_once_it_has_been_seen()
    {
        const string spanish = "¿Cuánto está el año? Ñandú, über, straße, “quotes” – €";
        foreach (var ch in spanish)
        {
            TextFolding.FoldChar(ch);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0;
        for (var round = 0; round < 100; round++)
        {
            foreach (var ch in spanish)
            {
                sum += TextFolding.FoldChar(ch);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sum);
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
        Assert.Equal(new string([.. text.Select(Decomposed)]), TextFolding.Fold(text));

    private static string Try(Func<char, char> fold, char ch)
    {
        try
        {
            return $"U+{(int)fold(ch):X4}";
        }
        catch (ArgumentException)
        {
            return "an ArgumentException";
        }
    }

    // The folding as written before the table: lower case, and the base letter of a character that decomposes into
    // a letter and a non-spacing mark; lone surrogates and U+FFFE (which Normalize refuses) pass through.
    private static char Decomposed(char ch)
    {
        if (ch < 128)
        {
            return char.ToLowerInvariant(ch);
        }

        if (char.IsSurrogate(ch) || ch == '\ufffe')
        {
            return ch;
        }

        var decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark
            ? char.ToLowerInvariant(decomposed[0])
            : char.ToLowerInvariant(ch);
    }
}
