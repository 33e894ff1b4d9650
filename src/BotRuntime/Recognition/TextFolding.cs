using System.Globalization;
using System.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Case- and accent-insensitive text helpers shared by the recognisers and the classifier: users type
/// "si" for "sí", "CANCELAR", "opcion 2"; comparisons must not care.
/// </summary>
public static class TextFolding
{
    /// <summary>Lower case, diacritics removed (ñ becomes n), other characters unchanged; same length as the input.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            builder.Append(FoldChar(ch));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Folds one character, keeping a one-to-one mapping with the original so that positions found in folded
    /// text are positions in the original.
    /// </summary>
    public static char FoldChar(char ch)
    {
        if (ch < 128)
        {
            return char.ToLowerInvariant(ch);
        }

        // A lone surrogate cannot be normalised (string.Normalize throws); emoji halves pass through as they are.
        if (char.IsSurrogate(ch))
        {
            return ch;
        }

        var decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
        var first = decomposed[0];
        if (decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark)
        {
            return char.ToLowerInvariant(first);
        }

        return char.ToLowerInvariant(ch);
    }

    /// <summary>Splits folded text into word tokens (letters, digits and apostrophes inside words) with their positions.</summary>
    public static IReadOnlyList<TextToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Fold(text);
        var tokens = new List<TextToken>();
        var i = 0;
        while (i < folded.Length)
        {
            if (!IsWordChar(folded[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < folded.Length && (IsWordChar(folded[i]) || (IsApostrophe(folded[i]) && i + 1 < folded.Length && char.IsLetter(folded[i + 1]) && i > start)))
            {
                i++;
            }

            var word = folded[start..i].Replace('\u2019', '\'');
            tokens.Add(new TextToken(word, start, i - start));
        }

        return tokens;
    }

    private static bool IsWordChar(char ch) => char.IsLetterOrDigit(ch);

    private static bool IsApostrophe(char ch) => ch is '\'' or '\u2019';
}

/// <summary>A folded word and where it sits in the original text.</summary>
public readonly record struct TextToken(string Text, int Start, int Length)
{
    public int End => Start + Length;
}
