namespace BotRuntime.Recognition;

internal enum ConfirmWordKind
{
    Other,
    Yes,
    No,

    /// <summary>Politeness and filler that neither adds nor removes meaning ("please", "thanks", "por favor").</summary>
    Filler,

    /// <summary>Doubt ("not sure", "maybe", "no sé"): never a yes, never a no.</summary>
    Unsure,
}

/// <summary>
/// Our own yes/no vocabulary. Microsoft.Recognizers.Definitions has yes/no regexes for both languages, but they are
/// single words ("yes", "sí", "ok") and cannot say that "no problem" is a yes or that "not sure" is not; the
/// phrases here are matched longest-first over folded tokens, so accents and case do not matter.
/// </summary>
internal static class ConfirmLexicon
{
    // The words our own confirm buttons post; recognised in every locale because a button press is unambiguous.
    public static readonly string[] ButtonYes = ["yes", "si"];
    public static readonly string[] ButtonNo = ["no"];

    private static readonly string[] EnglishYes =
    [
        "yes", "y", "ya", "yah", "yeah", "yea", "yep", "yup", "yas", "yess", "yesh", "sure", "sure thing", "ok", "okay", "oki", "okey", "okie", "k", "kk",
        "alright", "all right", "right", "correct", "that's correct", "that is correct", "that's right", "that is right", "agreed", "agree", "i agree",
        "confirm", "confirmed", "i confirm", "go ahead", "go on", "go for it", "do it", "just do it", "do so", "proceed", "please proceed",
        "please do", "please go ahead", "absolutely", "definitely", "certainly", "of course", "sounds good", "sounds great", "sounds fine",
        "looks good", "looks great", "looks fine", "lgtm", "perfect", "great", "fine", "that's fine", "that is fine", "that works", "works for me",
        "good", "very good", "affirmative", "true", "yes please", "no problem", "no problem at all", "why not", "let's do it", "lets do it",
        "let's go", "lets go", "yes i do", "i do", "yes it is", "it is", "exactly", "indeed", "cool", "awesome", "uh huh", "mhm", "yessir",
        "i'm sure", "im sure", "i am sure", "do that", "make it so", "yes do it", "yes go ahead", "yes proceed", "approve", "approved", "accept", "i accept",
    ];

    private static readonly string[] EnglishNo =
    [
        "no", "n", "nope", "nah", "nay", "no thanks", "not now", "not yet", "not really", "no way", "don't", "dont", "do not", "don't do it",
        "dont do it", "do not do it", "do not proceed", "don't proceed", "negative", "false", "disagree", "i disagree", "not ok", "not okay",
        "never", "cancel", "cancel it", "cancel that", "stop", "nevermind", "never mind", "wrong", "not right", "that's wrong", "that is wrong",
        "incorrect", "i don't", "i do not", "i dont", "i'd rather not", "id rather not", "rather not", "better not", "no i don't", "no i do not",
        "don't think so", "i don't think so", "i dont think so", "no it isn't", "it isn't", "decline", "reject", "no go", "no good", "not good", "not fine", "not correct", "not now thanks",
    ];

    private static readonly string[] EnglishFiller =
    [
        "please", "pls", "plz", "thanks", "thank you", "thank you very much", "thanks a lot", "thx", "ty", "tnx", "cheers", "oh", "ah", "well",
        "then", "so", "um", "umm", "uh", "sir", "madam", "maam", "ma'am", "mate", "dear", "and", "very much", "yes yes", "ok then", "bot",
    ];

    private static readonly string[] EnglishUnsure =
    [
        "not sure", "i'm not sure", "im not sure", "i am not sure", "not certain", "maybe", "perhaps", "probably", "possibly", "i guess",
        "don't know", "dont know", "do not know", "i don't know", "i dont know", "idk", "dunno", "hmm", "hmmm", "wait", "hold on", "not sure yet",
    ];

    private static readonly string[] SpanishYes =
    [
        "si", "s", "sip", "sii", "sí", "vale", "ok", "okey", "okay", "oka", "claro", "claro que si", "por supuesto", "de acuerdo", "deacuerdo",
        "adelante", "venga", "dale", "perfecto", "correcto", "es correcto", "confirmo", "confirmado", "lo confirmo", "confirmar", "confirma",
        "hazlo", "hagalo", "sigue", "siga", "continua", "continue", "continuar", "bien", "muy bien", "esta bien", "exacto", "eso es", "afirmativo",
        "cierto", "verdad", "verdadero", "sin problema", "sin problemas", "como no", "por que no", "desde luego", "genial", "estupendo",
        "me parece bien", "me vale", "de una", "va", "sale", "listo", "totalmente", "efectivamente", "si quiero", "lo quiero", "procede",
        "proceder", "adelante con ello", "seguro", "estoy seguro", "estoy segura", "obvio", "acepto", "aceptar", "apruebo", "sisi", "si si",
    ];

    private static readonly string[] SpanishNo =
    [
        "no", "n", "nop", "nope", "nel", "para nada", "de ninguna manera", "ni hablar", "no gracias", "mejor no", "todavia no", "aun no", "ahora no",
        "negativo", "falso", "no quiero", "no lo hagas", "no hagas nada", "cancela", "cancelar", "cancelalo", "detente", "no vale", "no esta bien", "no confirmo", "no adelante", "no sigas", "no continues", "incorrecto",
        "no es correcto", "tampoco", "nunca", "no no", "no lo quiero", "no acepto", "rechazo", "rechazar", "no creo", "creo que no",
    ];

    private static readonly string[] SpanishFiller =
    [
        "por favor", "porfa", "porfavor", "xfa", "pf", "gracias", "muchas gracias", "mil gracias", "pues", "entonces", "bueno", "oye", "eh",
        "ah", "y", "hombre", "gracias por favor",
    ];

    private static readonly string[] SpanishUnsure =
    [
        "no estoy seguro", "no estoy segura", "no se", "ni idea", "quizas", "quiza", "tal vez", "a lo mejor", "puede", "puede ser", "igual",
        "espera", "un momento", "no lo se", "mmm", "hmm", "no sabria decir",
    ];

    private static readonly Dictionary<string, ConfirmWordKind> English = Build(EnglishYes, EnglishNo, EnglishFiller, EnglishUnsure);
    private static readonly Dictionary<string, ConfirmWordKind> Spanish = Build(SpanishYes, SpanishNo, SpanishFiller, SpanishUnsure);

    public const int LongestPhrase = 4;

    public static Dictionary<string, ConfirmWordKind> For(BotCulture culture) => culture.IsSpanish ? Spanish : English;

    private static Dictionary<string, ConfirmWordKind> Build(string[] yes, string[] no, string[] filler, string[] unsure)
    {
        var map = new Dictionary<string, ConfirmWordKind>(StringComparer.Ordinal);
        void Add(IEnumerable<string> phrases, ConfirmWordKind kind)
        {
            foreach (var phrase in phrases)
            {
                map[Key(phrase)] = kind;
            }
        }

        Add(filler, ConfirmWordKind.Filler);
        Add(yes, ConfirmWordKind.Yes);
        Add(no, ConfirmWordKind.No);
        Add(unsure, ConfirmWordKind.Unsure);
        foreach (var button in ButtonYes)
        {
            map.TryAdd(button, ConfirmWordKind.Yes);
        }

        foreach (var button in ButtonNo)
        {
            map.TryAdd(button, ConfirmWordKind.No);
        }

        return map;
    }

    /// <summary>The lookup key of a phrase: its folded tokens joined by single spaces.</summary>
    public static string Key(string phrase) => string.Join(' ', TextFolding.Tokenize(phrase).Select(t => t.Text));
}
