using AriaBot.Language;

namespace AriaBot.Understanding;

/// <summary>One button of a "did you mean" question: the intent it stands for and its label in the user's locale.</summary>
public sealed record IntentOption(Intent Intent, string Label);

/// <summary>
/// The question to ask when a message was understood without confidence: the sentence, the two likeliest
/// intents as buttons, and a "neither" button. A button that posts its label back is understood as exactly
/// that intent (see <see cref="Understander"/>).
/// </summary>
public sealed record DidYouMeanOffer(string Text, IReadOnlyList<IntentOption> Options, string NeitherLabel);

public static class DidYouMean
{
    /// <summary>The offer for a result that is neither confident nor hopeless; null otherwise.</summary>
    public static DidYouMeanOffer? For(UnderstandingResult result, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(words);
        if (result.IsConfident || result.Suggestions.Count < 2)
        {
            return null;
        }

        var options = result.Suggestions.Take(2)
            .Select(s => new IntentOption(s.Intent, words.Format(IntentWords.Label(s.Intent), locale)))
            .ToList();
        var text = words.Format(CommonWords.DidYouMean, locale, new { first = options[0].Label, second = options[1].Label });
        return new DidYouMeanOffer(text, options, words.Format(CommonWords.NeitherOfThose, locale));
    }
}
