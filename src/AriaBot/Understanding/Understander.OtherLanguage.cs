using BotRuntime.Recognition;

namespace AriaBot.Understanding;

public sealed partial class Understander
{
    // Two words that only the other language's training lines hold, and none that only this one's do: "quiero pagar
    // mi factura" in an English conversation, but not "I want to pagar" (mixed) or a lone "internet" (both, or chance).
    private const int OtherLanguageWords = 2;

    /// <summary>
    /// The understanding of a message that was not understood in its locale, in the other supported language it is
    /// written in — or null when it does not read as one, or is not understood there either. A Spanish speaker whose
    /// browser says en-US gets somewhere; the caller decides whether the conversation changes language.
    /// </summary>
    private UnderstandingResult? InOtherLanguage(string? text, UnderstandingResult result, UnderstandingContext context)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var other in BotCulture.Supported)
        {
            if (other == result.Culture)
            {
                continue;
            }

            // Counted on the redacted text: a card number or code is no word of any language.
            var (onlyHere, onlyThere) = _classifiers[result.Culture].DistinctWords(result.Text, _classifiers[other]);
            if (onlyHere == 0 && onlyThere >= OtherLanguageWords && UnderstandIn(text, other, context) is { IsConfident: true } there)
            {
                return there;
            }
        }

        return null;
    }
}
