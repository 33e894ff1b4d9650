namespace BotRuntime.Recognition;

/// <summary>
/// Whether Recognizers.Text 1.8.13's number model of a culture can find anything in a text, checked before it runs
/// (its extractors are a few dozen regular expressions of up to 60,000 characters, run over every line: issue 22).
/// Every extraction pattern of the two models needs a digit (<c>\d</c>, which is <see cref="char.IsDigit"/>), a
/// vulgar-fraction character (¼ ½ ¾ ⅐…⅞) or a number word of its language: a cardinal, an ordinal of a fraction,
/// a round number ("a hundred", "a mln", "un millón"), "half"/"quarter"/"dozen", "medio"/"mitad"/"docena". Each of
/// those words starts where the pattern has a word boundary or a space, or inside a compound whose first part is one
/// ("veintiún", "cuatrocientos", "quintillón"), so a word of the line that starts with one of the stems below is what
/// is looked for, after folding case and accents (the model lower-cases; the patterns spell "tr[eé]s"). The cue errs
/// towards running the model ("someone", "oncology" and Spanish "una" all run it); <c>NumberCueTests</c> runs the model
/// on every pinned line and on every word the models' patterns spell, and expects nothing wherever the cue says no.
/// </summary>
internal static class NumberCue
{
    private static readonly Stems English = new(
        "zero", "naught", "nought", "one", "two", "three", "thir", "four", "fort", "five", "fif", "six", "seven", "eigh", "nin", "ten",
        "eleven", "twel", "twent", "hundred", "thousand", "milli", "mln", "billi", "bln", "trilli", "tln", "lakh", "crore", "doz", "dz",
        "first", "second", "hal", "quarter");

    private static readonly Stems Spanish = new(
        "cero", "un", "dos", "doc", "doz", "dz", "tre", "tri", "ter", "cuat", "cuar", "cuad", "cinc", "seis", "sie", "set", "ses", "sex", "sep",
        "och", "oct", "nue", "nov", "non", "die", "dec", "once", "cator", "quin", "vei", "ven", "cien", "cen", "duc", "duo", "und",
        "vig", "mil", "bill", "primer", "segund", "medi", "mitad");

    /// <summary>False only when the culture's number model cannot find a number in <paramref name="text"/>.</summary>
    public static bool MayHoldNumber(string text, BotCulture culture)
    {
        var stems = culture.IsSpanish ? Spanish : English;
        Span<char> word = stackalloc char[Stems.Longest];
        var length = 0;
        foreach (var ch in text)
        {
            if (char.IsDigit(ch) || ch is >= '\u00BC' and <= '\u00BE' or >= '\u2150' and <= '\u215E')
            {
                return true;
            }

            var folded = TextFolding.FoldChar(ch);
            if (char.IsLetter(folded))
            {
                if (length < word.Length)
                {
                    word[length] = folded;
                }

                length++;
                continue;
            }

            if (length > 0 && stems.StartsOne(word[..Math.Min(length, word.Length)]))
            {
                return true;
            }

            length = 0;
        }

        return length > 0 && stems.StartsOne(word[..Math.Min(length, word.Length)]);
    }

    private sealed class Stems
    {
        public const int Longest = 8;
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly int _shortest;

        public Stems(params string[] stems)
        {
            if (stems.Any(s => s.Length > Longest))
            {
                throw new ArgumentException($"A stem is longer than {Longest} letters.", nameof(stems));
            }

            _lookup = new HashSet<string>(stems, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            _shortest = stems.Min(s => s.Length);
        }

        /// <summary>The word (its first <see cref="Longest"/> folded letters) begins with one of the stems.</summary>
        public bool StartsOne(ReadOnlySpan<char> word)
        {
            for (var n = _shortest; n <= word.Length; n++)
            {
                if (_lookup.Contains(word[..n]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
