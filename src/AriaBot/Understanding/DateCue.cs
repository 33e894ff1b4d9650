using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// Whether a message of a given locale can hold a date for that locale's Recognizers.Text model, checked word by word
/// before the date pass runs (the pass costs more than the rest of understanding a line together). Narrower than
/// <see cref="EntityCues.MayHoldDate"/> (which this replaced; kept for the same-run A/B): the model of a locale only
/// knows that language's date words, so only those are looked for; short stems that start ordinary words ("bi" of
/// "bill", "com" of "como", "tod" of "todo") became the words they stand for; and a number only counts where a date
/// can be made of it — a preposition before it ("at six", "a las seis", "del uno al diez"), digits with a separator
/// ("12/29", "10:30") or digits against letters ("5pm", "3rd"). Three English words the 1.8.13 definitions only use next
/// to another date word are not cues on their own (issue 22, they sent plan changes to the pass): "new" (only in
/// "new year…", and "year" is a cue), "possible" (only in "as soon as possible": "soon") and "start" as the beginning of
/// a longer word ("starter plan"; the model's "start of …", "starting on/from …" are whole words, still cues). Two
/// relative words are no longer cues on their own either (issue 22, third round): English "current" is one only before
/// "date" (1.8.13 uses it in "current date" and otherwise before a unit, a weekday, "time" or "moment", all cues), and
/// Spanish "actual"/"actuales" not at all (used after "trimestre", "cuarto", "mes", "semana", "año"… or as a relative
/// ordinal the date model does not read alone). Nor is English "last" (fifth round): the model reads it only beside a unit,
/// a weekday, a month, a holiday, "night" or a number ("last week", "last 3 days"), all cues, so "my last statement" no
/// longer pays for the pass (<c>DateCueWordTests</c> runs the model around it). It still errs towards running the pass:
/// <c>EntityCueTests</c> runs the date model over every line it rules out and expects nothing, and
/// <c>FastPathOracleTests</c> proves every pinned answer unchanged.
/// </summary>
internal static class DateCue
{
    private static readonly Words English = new(
        whole: ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "sept", "oct", "nov", "dec", "am", "pm", "bi", "wk", "wks", "yr", "yrs", "hr", "hrs", "min", "mins", "sec", "secs", "eve",
            "now", "ago", "tmr", "tmrw", "yday", "qtr", "eod", "eom", "eoy", "eow", "cob", "mlk", "asap", "mi", "mo", "mos", "mth", "mths",
            "start", "starts", "started", "starting",
            // Holidays the model reads without a date word beside them ("mardi gras", "all saint's", "eid al fitr").
            "mardi", "yuan", "yuandan", "saint", "lover", "lovers", "george", "souls", "fawkes", "cinco", "qingming", "dragon", "tomb",
            "eid", "eidul", "feast", "ramzan", "ramazan", "ramathan",
            // Read by the model alone or after "last" (fifth round, DateCueWordTests): "weds", "otd", decades, "last h".
            "h", "weds", "wedn", "otd"],
        prefixes: ["monda", "tuesd", "wednes", "thursd", "frida", "saturd", "sunda", "januar", "februar", "march", "april", "june", "july",
            "august", "septem", "octob", "novem", "decem", "today", "tonig", "tonit", "tomor", "yest", "late", "soon", "earl", "past", "next",
            "prev", "prior", "comin", "upcom", "recen", "presen", "moment", "time", "noon", "mid", "morn", "aftern",
            "even", "nigh", "nite", "dawn", "dusk", "sunr", "suns", "lunch", "dinner", "breakf", "brunch", "bed", "day", "dai", "week", "wkend",
            "month", "year", "annu", "quarter", "semest", "decad", "centur", "fortn", "hour", "minut", "second", "season", "spring", "summer",
            "fall", "autumn", "winter", "oclock", "clock", "end", "begin", "semi", "biwe", "bimo", "bian", "bienn", "biyear",
            "christ", "xmas", "easter", "thanksg", "hallow", "valent", "independ", "labo", "memorial", "veteran", "columbus", "martin",
            "mother", "father", "patrick", "fool", "groundhog", "earth", "inaugur", "boxing", "cyber", "black", "hanuk", "chanuk", "kwanz",
            "ramad", "diwal", "passover", "holiday", "first", "third", "fourth", "fift", "sixt", "sevent", "eight", "nint", "tenth", "elevent",
            "twelf", "thirt", "twent", "fourt", "birthd", "pentecost", "festiv", "workw", "mayd", "forties", "ninet", "nought"],
        beforeNumber: ["at", "on", "by", "from", "to", "till", "til", "until", "before", "after", "since", "between", "around", "about", "past",
            "in", "within", "the", "of", "and", "or", "for", "every", "each", "next", "last", "this"],
        beforeWord: new() { ["current"] = ["date"], ["thanks"] = ["giving"] });

    private static readonly Words Spanish = new(
        whole: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "set", "oct", "nov", "dic", "lun", "mie", "jue", "vie", "sab", "dom",
            "am", "pm", "hace", "mes", "fin", "san", "dia", "ano", "h", "hs", "hr", "hrs", "hra", "hras", "min", "mins", "seg", "segs",
            // Holidays the model reads without "día" ("blanco", "independencia", "martin luther king", "celebración de mao").
            "blanco", "martin", "mao", "yuandan"],
        prefixes: ["enero", "febrer", "marz", "abril", "mayo", "junio", "julio", "agost", "septiem", "setiem", "octubr", "noviem", "diciem",
            "lunes", "mart", "miercol", "jueves", "viern", "sabad", "doming", "hoy", "manan", "ayer", "anoch", "antea", "antie", "pasad",
            "proxim", "siguien", "ultim", "anterior", "previ", "vien", "venider", "ahora", "moment", "pront", "luego", "despues",
            "tard", "tempran", "mediod", "medianoch", "madrug", "noch", "amanec", "atardec", "seman", "finde", "meses", "anos", "anio", "dias",
            "diari", "hora", "minut", "segund", "trimest", "quincen", "decada", "siglo", "tempor", "estacion", "primav", "veran", "oton",
            "invier", "navid", "nochebuen", "nochevie", "pascu", "reyes", "sant", "epifan", "carnav", "poco", "recien", "primer", "tercer",
            "cuart", "quint", "sext", "septim", "octav", "noven", "decim", "medi", "punto", "anu", "mensu", "bimest", "semest", "tierr", "madre",
            "padre", "trabaj", "constituc", "hispan", "inmacul", "asunc", "difunt", "pilar", "muert", "revoluc", "candel", "ceniza", "ramos",
            "resurrec", "enamorad", "accion", "maestr", "nino", "raza", "bandera", "mujer", "corpus", "ascens", "pentecost", "fiesta", "festiv",
            "feriad", "puente", "vacacion", "independ", "hallow", "cuatrim", "decen"],
        beforeNumber: ["a", "al", "la", "las", "el", "los", "de", "del", "en", "desde", "hasta", "entre", "antes", "despues", "sobre", "hacia",
            "para", "y", "o", "cada", "este", "esta", "proximo", "proxima"],
        beforeWord: []);

    private const int LongestWord = 16;

    public static bool MayHoldDate(string text, IReadOnlyList<NumberMatch> numbers, BotCulture culture) =>
        Reason(text, numbers, culture) != DateCueReason.None;

    /// <summary>Which clue sends the line to the date pass (the first one found), for measuring the cue's yield.</summary>
    public static DateCueReason Reason(string text, IReadOnlyList<NumberMatch> numbers, BotCulture culture)
    {
        var words = culture.IsSpanish ? Spanish : English;
        Span<char> word = stackalloc char[LongestWord];
        var length = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var folded = i < text.Length ? TextFolding.FoldChar(text[i]) : ' ';
            if (char.IsLetter(folded))
            {
                if (length < word.Length)
                {
                    word[length] = folded;
                }

                length++;
                continue;
            }

            if (length > 0 && words.IsDateWord(word[..Math.Min(length, word.Length)], length))
            {
                return DateCueReason.DateWord;
            }

            if (length > 0 && length <= word.Length && words.IsDateWordBefore(word[..length], text, i))
            {
                return DateCueReason.DateWordBeforeWord;
            }

            // Digits against letters ("5pm", "3rd", "2026-03-01", "10:30", "12/29"): the model reads those as dates or
            // times however they are spelt.
            if (char.IsDigit(folded) && (IsLetterOrDateSeparator(text, i - 1) || IsLetterOrDateSeparator(text, i + 1)))
            {
                return DateCueReason.DigitsAgainstLetters;
            }

            length = 0;
        }

        foreach (var number in numbers)
        {
            if (words.MayPrecedeNumber(text, number.Start))
            {
                return DateCueReason.NumberAfterDateWord;
            }
        }

        // Digits the number model did not take still count as numbers here.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsDigit(text[i]) && (i == 0 || !char.IsDigit(text[i - 1])) && words.MayPrecedeNumber(text, i))
            {
                return DateCueReason.NumberAfterDateWord;
            }
        }

        return DateCueReason.None;
    }

    private static bool IsLetterOrDateSeparator(string text, int index) =>
        index >= 0 && index < text.Length && (char.IsLetter(text[index]) || text[index] is '/' or ':' or '.' or '-' or ',');

    private sealed class Words(string[] whole, string[] prefixes, string[] beforeNumber, Dictionary<string, string[]> beforeWord)
    {
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _whole = new HashSet<string>(whole, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _prefixes = new HashSet<string>(prefixes, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _beforeNumber = new HashSet<string>(beforeNumber, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _beforeWord = new Dictionary<string, string[]>(beforeWord, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>
        /// The folded word ending just before <paramref name="end"/> is a date word only next to the word that follows it
        /// ("current date"; "current plan" is not a date), and that word follows. Anything but letters and digits is
        /// skipped on the way ("current, date" runs the pass too: a cue errs towards running it).
        /// </summary>
        public bool IsDateWordBefore(ReadOnlySpan<char> word, string text, int end)
        {
            if (!_beforeWord.TryGetValue(word, out var next))
            {
                return false;
            }

            var begin = end;
            while (begin < text.Length && !char.IsLetterOrDigit(text[begin]))
            {
                begin++;
            }

            var stop = begin;
            while (stop < text.Length && char.IsLetter(TextFolding.FoldChar(text[stop])))
            {
                stop++;
            }

            foreach (var candidate in next)
            {
                if (candidate.Length == stop - begin && Folds(text.AsSpan(begin, stop - begin), candidate))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Folds(ReadOnlySpan<char> original, string folded)
        {
            for (var i = 0; i < original.Length; i++)
            {
                if (TextFolding.FoldChar(original[i]) != folded[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <param name="word">The folded word, cut at <see cref="LongestWord"/> letters.</param>
        /// <param name="length">Its whole length (a longer word is never a whole-word match).</param>
        public bool IsDateWord(ReadOnlySpan<char> word, int length)
        {
            if (length == word.Length && _whole.Contains(word))
            {
                return true;
            }

            for (var n = 3; n <= word.Length; n++)
            {
                if (_prefixes.Contains(word[..n]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The word just before position <paramref name="start"/> (spaces skipped) is one a date number follows.</summary>
        public bool MayPrecedeNumber(string text, int start)
        {
            var end = start;
            while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            var begin = end;
            while (begin > 0 && char.IsLetter(text[begin - 1]))
            {
                begin--;
            }

            if (end == begin || end - begin > LongestWord)
            {
                return false;
            }

            Span<char> folded = stackalloc char[end - begin];
            for (var i = 0; i < folded.Length; i++)
            {
                folded[i] = TextFolding.FoldChar(text[begin + i]);
            }

            return _beforeNumber.Contains(folded);
        }
    }
}

/// <summary>Why <see cref="DateCue"/> sends a line to the date pass.</summary>
internal enum DateCueReason
{
    None,

    /// <summary>A date word of the locale ("friday", "tomorrow", "mar").</summary>
    DateWord,

    /// <summary>Digits against letters or a date separator ("5pm", "12/29", "10:30").</summary>
    DigitsAgainstLetters,

    /// <summary>A number after a word a date number follows ("at six", "a las seis").</summary>
    NumberAfterDateWord,

    /// <summary>A word that is a date word only before another ("current date").</summary>
    DateWordBeforeWord,
}
