using System.Text;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding.Oracle;

/// <summary>
/// Turns an utterance into sparse TF-IDF features: words, word pairs (with sentence edges, so a lone "cancel"
/// differs from "cancel my plan") and character 3–5-grams inside words (typos, "cancelar"/"cancela", plurals).
/// Text is folded (case, accents) and digit runs become "0" so "3 seats" and "12 seats" look alike.
/// </summary>
/// <remarks>ORACLE: a verbatim copy of IntentFeatures before issue 22's hot-path work (commit 352c446).</remarks>
internal sealed class ReferenceFeatures
{
    private readonly Dictionary<string, int> _index;
    private readonly double[] _idf;
    private readonly double[] _groupWeights;

    private ReferenceFeatures(Dictionary<string, int> index, double[] idf, double[] groupWeights)
    {
        _index = index;
        _idf = idf;
        _groupWeights = groupWeights;
    }

    public int Count => _idf.Length;

    public static ReferenceFeatures Fit(IReadOnlyList<string> texts, ClassifierSettings settings)
    {
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var feature in Extract(text).Select(f => f.Name).Distinct(StringComparer.Ordinal))
            {
                documentFrequency[feature] = documentFrequency.GetValueOrDefault(feature) + 1;
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var idf = new double[documentFrequency.Count];
        foreach (var (feature, df) in documentFrequency.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            idf[index.Count] = Math.Log((1.0 + texts.Count) / (1.0 + df)) + 1.0;
            index[feature] = index.Count;
        }

        return new ReferenceFeatures(index, idf, [1.0, settings.PairWeight, settings.CharWeight]);
    }

    /// <summary>Whether any word of the text (not just a few letters of one) appears in a training line.</summary>
    public bool KnowsAnyWord(string text) =>
        Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(word => _index.ContainsKey("w:" + word));

    /// <summary>L2-normalised sparse vector; features never seen in training are dropped.</summary>
    public ReferenceVector Vectorize(string text)
    {
        // Counts per group ('w' words, 'b' pairs, 'c' characters), each normalised on its own so that the many
        // character n-grams do not drown the words.
        var counts = new Dictionary<int, int>[] { new(), new(), new() };
        foreach (var (group, name) in Extract(text))
        {
            if (_index.TryGetValue(name, out var i))
            {
                var bucket = counts[GroupIndex(group)];
                bucket[i] = bucket.GetValueOrDefault(i) + 1;
            }
        }

        var weights = new Dictionary<int, double>();
        for (var g = 0; g < counts.Length; g++)
        {
            var norm = 0.0;
            foreach (var (i, count) in counts[g])
            {
                var value = (1 + Math.Log(count)) * _idf[i];
                norm += value * value;
            }

            if (norm == 0)
            {
                continue;
            }

            var scale = _groupWeights[g] / Math.Sqrt(norm);
            foreach (var (i, count) in counts[g])
            {
                weights[i] = weights.GetValueOrDefault(i) + ((1 + Math.Log(count)) * _idf[i] * scale);
            }
        }

        var total = Math.Sqrt(weights.Values.Sum(v => v * v));
        var indices = weights.Keys.ToArray();
        Array.Sort(indices);
        var values = new double[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            values[k] = total == 0 ? 0 : weights[indices[k]] / total;
        }

        return new ReferenceVector(indices, values);
    }

    private static int GroupIndex(char group) => group switch { 'w' => 0, 'b' => 1, _ => 2 };

    internal static string Normalize(string text)
    {
        var folded = TextFolding.Fold(EntityPlaceholders.ToFeatureWords(text));
        var builder = new StringBuilder(folded.Length);
        var lastWasDigit = false;
        foreach (var ch in folded)
        {
            if (char.IsDigit(ch))
            {
                if (!lastWasDigit)
                {
                    builder.Append('0');
                }

                lastWasDigit = true;
                continue;
            }

            lastWasDigit = false;
            builder.Append(char.IsLetter(ch) ? ch : ch is '\'' or '\u2019' ? '\0' : ' ');
        }

        // Apostrophes vanish ("don't" = "dont", "what's" = "whats"): people type both.
        return string.Join(' ', builder.ToString().Replace("\0", string.Empty, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static IEnumerable<(char Group, string Name)> Extract(string text)
    {
        var tokens = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            yield return ('w', "w:" + tokens[i]);
            if (EntityPlaceholders.IsFeatureWord(tokens[i]))
            {
                continue;
            }

            var padded = " " + tokens[i] + " ";
            for (var n = 3; n <= 5; n++)
            {
                for (var start = 0; start + n <= padded.Length; start++)
                {
                    yield return ('c', "c:" + padded.Substring(start, n));
                }
            }
        }

        for (var i = -1; i < tokens.Length; i++)
        {
            var left = i < 0 ? "<s>" : tokens[i];
            var right = i + 1 < tokens.Length ? tokens[i + 1] : "</s>";
            if (tokens.Length > 0)
            {
                yield return ('b', "b:" + left + "_" + right);
            }
        }
    }
}

internal readonly record struct ReferenceVector(int[] Indices, double[] Values)
{
    public bool IsEmpty => Indices.Length == 0;
}
