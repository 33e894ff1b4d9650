using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// Words that stop something ("cancel", "stop", "cancela", "anula"…) at the head of a message. With no task running,
/// such a word followed by a plan's name means cancelling that plan (<see cref="Understander"/>); while a preview
/// waits for its answer, any message led by one voids the preview and nothing is written (invariant 2), even
/// "cancel premium", which names a plan.
/// </summary>
public static class AbortWords
{
    // Only the first few words count: "please cancel premium" aborts, "why did you cancel my payment" does not.
    private const int LeadingWords = 3;

    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "cancel", "cancell", "cancle", "stop", "abort", "quit", "terminate", "discontinue", "drop", "unsubscribe", "nevermind", "nvm",
    };

    private static readonly HashSet<string> Spanish = new(StringComparer.Ordinal)
    {
        "cancela", "cancelar", "cancelame", "cancelalo", "cancelala", "cancelen", "cancele", "parar", "detener", "deten", "detente",
        "anula", "anular", "anulame", "anulalo", "anulala", "aborta", "abortar", "termina", "terminar", "baja", "olvidalo", "dejalo",
    };

    /// <summary>True when one of the message's first words is an abort word of its locale (or of English, which people mix in).</summary>
    public static bool LeadsWith(string? text, string? locale) => AbortAt(text, locale) is not null;

    /// <summary>Where the leading abort word ends in the text, or null when the message is not led by one.</summary>
    public static int? AbortAt(string? text, string? locale)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var spanish = BotCulture.Resolve(locale).IsSpanish;
        foreach (var token in TextFolding.Tokenize(text).Take(LeadingWords))
        {
            if (English.Contains(token.Text) || (spanish && Spanish.Contains(token.Text)))
            {
                return token.Start + token.Length;
            }
        }

        return null;
    }
}
