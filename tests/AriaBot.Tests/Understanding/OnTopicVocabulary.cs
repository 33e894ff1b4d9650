using AriaBot.Understanding;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Measured for issue 23 and not adopted (the out-of-fold sweep never chose it, OpenSetSelectionTests): how much of a message is made of words the bot's own intents use: the share of its words, each weighted by how
/// rare it is in the training lines (inverse document frequency), that appear in some on-topic training line.
/// "what's the capital of Spain" shares only its common words with the intents ("what's", "the", "of"), so its rare
/// words ("capital", "Spain") pull the share down, whatever the softmax says. The sweep tries it as one more open-set
/// rule (off-topic when the share is low and the off-topic class is in the running); a word never seen in any
/// training line weighs like the rarest one.
/// </summary>
internal sealed class OnTopicVocabulary
{
    private readonly HashSet<string> _onTopic;
    private readonly Dictionary<string, double> _idf;
    private readonly double _unseen;

    private OnTopicVocabulary(HashSet<string> onTopic, Dictionary<string, double> idf, double unseen)
    {
        _onTopic = onTopic;
        _idf = idf;
        _unseen = unseen;
    }

    public static OnTopicVocabulary Build(IReadOnlyList<(Intent Intent, string Text)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var onTopic = new HashSet<string>(StringComparer.Ordinal);
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (intent, text) in lines)
        {
            var words = Words(text).Distinct(StringComparer.Ordinal).ToList();
            foreach (var word in words)
            {
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
                if (intent != Intent.None)
                {
                    onTopic.Add(word);
                }
            }
        }

        var idf = frequency.ToDictionary(p => p.Key, p => Math.Log((1.0 + lines.Count) / (1.0 + p.Value)) + 1.0, StringComparer.Ordinal);
        return new OnTopicVocabulary(onTopic, idf, Math.Log(1.0 + lines.Count) + 1.0);
    }

    /// <summary>0 (no word an intent uses) to 1 (every word is); 1 for a message with no words.</summary>
    public double Share(string text)
    {
        double known = 0, total = 0;
        foreach (var word in Words(text ?? string.Empty))
        {
            var weight = _idf.TryGetValue(word, out var idf) ? idf : _unseen;
            total += weight;
            known += _onTopic.Contains(word) ? weight : 0;
        }

        return total == 0 ? 1 : known / total;
    }

    // Placeholders and counts ("0") say nothing about the topic: "<NUM> pizzas" is judged by "pizzas".
    private static IEnumerable<string> Words(string text) =>
        IntentFeatures.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !EntityPlaceholders.IsFeatureWord(w) && w != EntityPlaceholders.NumberFeature);
}
