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
        // Text that folding leaves as it is (lower-case ASCII, the usual chat line) is returned itself; otherwise the
        // unchanged start is copied and the rest written straight into the new string (issue 22).
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

    // Every non-ASCII character's folded form, filled on first use: decomposing one cost two strings per character
    // on every call (issue 22: each accented letter or "¿" of a Spanish line, several times per turn). 0 means "not
    // folded yet" (only ASCII, never looked up here, folds to 0). A char is written whole, so two threads filling
    // the same slot write the same value and a reader sees either 0 or that value.
    private static readonly char[] FoldedChars = new char[char.MaxValue + 1];

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

        var folded = FoldedChars[ch];
        if (folded == '\0')
        {
            folded = FoldedChars[ch] = Decompose(ch);
        }

        return folded;
    }

    /// <summary>What <see cref="FoldChar"/> answers for a non-ASCII character, computed (the table's source; tests compare).</summary>
    internal static char Decompose(char ch)
    {
        // A lone surrogate or U+FFFE cannot be normalised (string.Normalize throws); they pass through as they are.
        if (char.IsSurrogate(ch) || ch == NotNormalisable)
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

    // The one valid character string.Normalize refuses (ICU calls the noncharacter U+FFFE invalid; U+FFFF is accepted).
    private const char NotNormalisable = '\uFFFE';

    /// <summary>
    /// <see cref="string.Normalize(NormalizationForm)"/> to form D for text a customer typed: a lone surrogate half or a
    /// U+FFFE, which make <c>Normalize</c> throw, becomes U+FFFD first, so a stray code unit in a line costs that
    /// character, never the turn.
    /// </summary>
    public static string NormalizeFormD(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains(NotNormalisable))
        {
            return text.Normalize(NormalizationForm.FormD);
        }

        var clean = string.Create(text.Length, text, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var ch = source[i];
                var pairedHigh = char.IsHighSurrogate(ch) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]);
                if (pairedHigh)
                {
                    target[i] = ch;
                    target[++i] = source[i];
                }
                else
                {
                    target[i] = char.IsSurrogate(ch) || ch == NotNormalisable ? '\uFFFD' : ch;
                }
            }
        });
        return clean.Normalize(NormalizationForm.FormD);
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
