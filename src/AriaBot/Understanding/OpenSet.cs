namespace AriaBot.Understanding;

/// <summary>
/// The open-set rule: when a message is about nothing the bot does. A softmax always picks some intent, so the
/// classifier also learns an off-topic class (<c>dialogs/OffTopic</c>); a message is off-topic when that class
/// beats every intent with at least <see cref="UnderstandingOptions.OffTopicMinimum"/>, or when no intent is likely and the best two are too close to tell apart while the
/// off-topic class is a serious contender (a "did you mean" between two unrelated intents helps nobody).
/// </summary>
public static class OpenSet
{
    /// <param name="scores">The intents' probabilities, best first, off-topic class excluded.</param>
    /// <param name="offTopicScore">The off-topic class's probability.</param>
    public static bool IsOffTopic(IReadOnlyList<IntentScore> scores, double offTopicScore, UnderstandingOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        if (scores.Count == 0)
        {
            return true;
        }

        var top = scores[0].Score;
        if (offTopicScore >= top)
        {
            // A weak off-topic win over a weak intent is a message we half understand: "did you mean" serves better.
            return offTopicScore >= options.OffTopicMinimum;
        }

        var second = scores.Count > 1 ? scores[1].Score : 0;
        return top < options.ConfidenceThreshold
            && top - second < options.OffTopicMargin
            && offTopicScore >= options.OffTopicContender;
    }
}
