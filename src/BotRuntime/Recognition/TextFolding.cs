using System.Globalization;
using System.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Case- and accent-insensitive text helpers shared by the recognisers and the classifier: users type
/// "si" for "sí", "CANCELAR", "opcion 2"; comparisons must not care.
/// </summary>
public static class TextFolding
{
    // Each non-ASCII character's fold, worked out the first time it is seen (0: not yet). Folding one by string
    // normalisation made two strings per character on every call (issue 22); a char is written atomically, so racing
    // threads at worst compute the same value twice. 128 KB for the whole BMP, filled only where text goes.
    private static readonly char[] Folded = new char[char.MaxValue + 1];

    /// <summary>Lower case, diacritics removed (ñ becomes n), other characters unchanged; same length as the input.</summary>
    /// <remarks>Text that folding leaves as it is (lower-case ASCII, the usual chat line) is returned itself, not copied.</remarks>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = 0;
        while (i < text.Length && FoldChar(text[i]) == text[i])
        {
            i++;
        }
        if (i == text.Length)
        {
            return text;
        }
        return string.Create(text.Length, (text, i), static (span, state) =>
        {
            var (source, unchanged) = state;
            source.AsSpan(0, unchanged).CopyTo(span);
            for (var j = unchanged; j < source.Length; j++)
            {
                span[j] = FoldChar(source[j]);
            }
        });
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
        var folded = Folded[ch];
        if (folded == 0)
        {
            // No character folds to U+0000, so 0 can mean "not yet".
            folded = FoldByNormalisation(ch);
            Folded[ch] = folded;
        }
        return folded;
    }

    /// <summary>The fold worked out from the character's canonical decomposition (the reference the table is filled from).</summary>
    internal static char FoldByNormalisation(char ch)
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

        string decomposed;
        try
        {
            decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            // A noncharacter (U+FFFE, U+FFFF…) is not normalisable either: it passes through as it is, instead of
            // failing the turn of whoever typed it.
            return ch;
        }
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
