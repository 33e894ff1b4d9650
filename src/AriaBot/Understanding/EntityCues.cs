using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// Cheap checks that tell when a message cannot hold an e-mail address, a phone number, an amount or a date, so the
/// <see cref="Understander"/> skips that Recognizers.Text pass (each runs hundreds of regular expressions: together
/// most of a turn's understanding cost). A check may say "maybe" too often, never "no" wrongly: it errs towards
/// running the pass. <c>FastPathOracleTests</c> compares every training, held-out and tricky line with the path that
/// ran every pass, and <c>EntityCueTests</c> checks that no line the cue rules out gives the recognizer a match.
/// </summary>
internal static class EntityCues
{
    // Beginnings of words that can start a date or time expression in English or Spanish (either locale, since people
    // mix them), folded: weekdays, months, relative days, units, parts of the day, seasons, holidays, "now" words and
    // ordinals ("on the first"). Numbers in words and digits are checked apart. Many are short and match much more
    // than dates ("sat", "may", "mar"): that only runs the pass.
    private static readonly string[] DateStems =
    [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        "tod", "ton", "tom", "tmr", "yes", "yda", "now", "ago", "lat", "soon", "earl", "past", "next", "last", "prev", "prior", "com", "upcom",
        "recen", "curr", "pres", "moment", "asap", "possib", "time", "noon", "mid", "morn", "aftern", "even", "eve", "nigh", "nite", "dawn", "dusk",
        "sunr", "suns", "lunch", "dinner", "breakf", "brunch", "bed", "day", "dai", "week", "wk", "wkend", "month", "year", "yr", "annu", "quarter",
        "qtr", "semest", "decad", "centur", "fortn", "hour", "hr", "min", "sec", "season", "spring", "summer", "fall", "autumn", "winter",
        "oclock", "clock", "am", "pm", "eod", "eom", "eoy", "eow", "cob", "end", "begin", "start", "bi", "semi",
        "christ", "xmas", "easter", "thanks", "hallow", "valent", "independ", "labo", "memorial", "veteran", "columbus", "mlk", "martin",
        "mother", "father", "patrick", "fool", "groundhog", "earth", "inaugur", "boxing", "cyber", "black", "hanuk", "chanuk", "kwanz",
        "ramad", "diwal", "passover", "new",
        "first", "second", "third", "fourth", "fift", "sixt", "sevent", "eight", "nint", "tenth", "elevent", "twelf", "thirt", "twent", "fourt",
        "lun", "mie", "jue", "vie", "dom", "ene", "abr", "ago", "set", "dic", "hoy", "manan", "ayer", "anoch", "antea", "antie", "pasad",
        "proxim", "siguien", "ultim", "anterior", "previ", "vien", "venider", "actual", "ahora", "moment", "pront", "luego", "despues", "tard",
        "tempran", "mediod", "medianoch", "madrug", "noch", "amanec", "atardec", "seman", "finde", "fin", "mes", "ano", "anio", "dia", "diari",
        "hora", "minut", "segund", "trimest", "quincen", "decada", "siglo", "tempor", "estacion", "primav", "veran", "oton", "invier",
        "navid", "nochebuen", "nochevie", "pascu", "reyes", "sant", "epifan", "carnav", "hace", "poco", "recien", "primer", "tercer", "cuart",
        "quint", "sext", "septim", "octav", "noven", "decim", "medi", "punto", "cada", "desde", "hasta", "durante", "antes", "entre",
        "sab", "anu", "mensu", "bimest", "tierr", "madre", "padre", "trabaj", "constituc", "hispan", "inmacul", "asunc", "difunt", "san",
        "pilar", "muert", "revoluc", "candel", "ceniza", "ramos", "resurrec", "enamorad", "accion", "gracias", "maestr", "nino", "raza",
        "bandera", "mujer", "corpus", "ascens", "pentecost", "fiesta", "festiv", "feriad", "puente", "vacacion", "holiday",
    ];

    private static readonly HashSet<string> Stems = new(DateStems, StringComparer.Ordinal);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StemLookup = Stems.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly int LongestStem = DateStems.Max(s => s.Length);

    /// <summary>Every e-mail pattern of Recognizers.Text has an "@".</summary>
    public static bool MayHoldEmail(string text) => text.Contains('@');

    /// <summary>Every phone-number pattern of Recognizers.Text 1.8.13 needs digits (a run of them, at least three).</summary>
    public static bool MayHoldPhone(string text) => HasDigit(text);

    /// <summary>An amount has a number: digits, or a number the number model found in words ("fifty dollars").</summary>
    public static bool MayHoldMoney(string text, IReadOnlyList<NumberMatch> numbers) => numbers.Count > 0 || HasDigit(text);

    /// <summary>A date has digits, a number in words ("in three days") or a word that starts like a date word.</summary>
    public static bool MayHoldDate(string text, IReadOnlyList<NumberMatch> numbers)
    {
        if (numbers.Count > 0 || HasDigit(text))
        {
            return true;
        }

        Span<char> word = stackalloc char[LongestStem];
        var length = 0;
        foreach (var ch in text)
        {
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

            if (length > 0 && StartsWithStem(word[..Math.Min(length, word.Length)]))
            {
                return true;
            }

            length = 0;
        }

        return length > 0 && StartsWithStem(word[..Math.Min(length, word.Length)]);
    }

    private static bool StartsWithStem(ReadOnlySpan<char> word)
    {
        for (var n = 2; n <= word.Length; n++)
        {
            if (StemLookup.Contains(word[..n]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDigit(string text)
    {
        foreach (var ch in text)
        {
            if (char.IsDigit(ch))
            {
                return true;
            }
        }

        return false;
    }
}
