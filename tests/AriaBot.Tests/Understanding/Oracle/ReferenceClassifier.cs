using AriaBot.Understanding;

namespace AriaBot.Tests.Understanding.Oracle;

/// <summary>
/// A multinomial logistic regression over <see cref="ReferenceFeatures"/>, trained in-process from the example
/// utterances at start-up (tens of milliseconds per locale). Softmax outputs are used as confidences: not
/// perfectly calibrated, but monotonic and good enough to decide when to ask "did you mean…".
/// Training is deterministic (fixed shuffle seed), so the same examples give the same model.
/// </summary>
/// <remarks>ORACLE: a verbatim copy of IntentClassifier as it was before issue 22's hot-path work (commit 352c446),
/// kept only so <see cref="FastPathOracleTests"/> can compare the new path against it in the same run.</remarks>
internal sealed class ReferenceClassifier
{
    private const int Seed = 20261125;

    private readonly ReferenceFeatures _features;
    private readonly Intent[] _labels;
    private readonly double[][] _weights;
    private readonly double[] _bias;

    private ReferenceClassifier(ReferenceFeatures features, Intent[] labels, double[][] weights, double[] bias)
    {
        _features = features;
        _labels = labels;
        _weights = weights;
        _bias = bias;
    }

    public IReadOnlyList<Intent> Labels => _labels;

    
    /// <summary>Trains with explicit settings: how <see cref="ClassifierSettings.Default"/> was chosen (cross-validation, ClassifierSelectionTests).</summary>
    internal static ReferenceClassifier Train(IReadOnlyList<(Intent Intent, string Text)> examples, ClassifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(examples));
        }

        var features = ReferenceFeatures.Fit(examples.Select(e => e.Text).ToList(), settings);
        var labels = examples.Select(e => e.Intent).Distinct().Order().ToArray();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var data = examples.Select(e => (Vector: features.Vectorize(e.Text), Label: labelIndex[e.Intent])).ToArray();

        // Weights are stored as scale * raw so that L2 shrinkage is one multiplication per step (Bottou's trick).
        var raw = labels.Select(_ => new double[features.Count]).ToArray();
        var bias = new double[labels.Length];
        var scale = 1.0;
        var random = new Random(Seed);
        var order = Enumerable.Range(0, data.Length).ToArray();
        var probabilities = new double[labels.Length];
        var step = 0;
        var (epochs, learningRate, l2) = (settings.Epochs, settings.LearningRate, settings.L2);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var n in order)
            {
                var (vector, label) = data[n];
                var rate = learningRate / (1 + (l2 * learningRate * step++));
                Softmax(raw, bias, scale, vector, probabilities);
                scale *= 1 - (rate * l2);
                for (var c = 0; c < labels.Length; c++)
                {
                    var gradient = probabilities[c] - (c == label ? 1 : 0);
                    if (gradient == 0)
                    {
                        continue;
                    }

                    var row = raw[c];
                    var delta = rate * gradient / scale;
                    for (var k = 0; k < vector.Indices.Length; k++)
                    {
                        row[vector.Indices[k]] -= delta * vector.Values[k];
                    }

                    bias[c] -= rate * gradient * 0.1;
                }
            }
        }

        foreach (var row in raw)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] *= scale;
            }
        }

        return new ReferenceClassifier(features, labels, raw, bias);
    }

    /// <summary>Whether any word of <paramref name="text"/> appears in a training line.</summary>
    public bool KnowsAnyWord(string text) => _features.KnowsAnyWord(text ?? string.Empty);

    /// <summary>Every known intent with its probability, best first. An utterance with no known feature scores nothing.</summary>
    /// <param name="temperature">Temperature scaling (see <see cref="UnderstandingOptions.Temperature"/>); 1 leaves the scores as trained.</param>
    public IReadOnlyList<IntentScore> Classify(string text, double temperature = 1.0)
    {
        var vector = _features.Vectorize(text ?? string.Empty);
        if (vector.IsEmpty)
        {
            return [];
        }

        var probabilities = new double[_labels.Length];
        Softmax(_weights, _bias, 1.0, vector, probabilities, temperature);
        return _labels.Select((label, i) => new IntentScore(label, probabilities[i]))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Intent)
            .ToList();
    }

    private static void Softmax(double[][] weights, double[] bias, double scale, ReferenceVector vector, double[] output, double temperature = 1.0)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < weights.Length; c++)
        {
            var row = weights[c];
            var sum = 0.0;
            for (var k = 0; k < vector.Indices.Length; k++)
            {
                sum += row[vector.Indices[k]] * vector.Values[k];
            }

            output[c] = ((sum * scale) + bias[c]) / temperature;
            max = Math.Max(max, output[c]);
        }

        var total = 0.0;
        for (var c = 0; c < output.Length; c++)
        {
            output[c] = Math.Exp(output[c] - max);
            total += output[c];
        }

        for (var c = 0; c < output.Length; c++)
        {
            output[c] /= total;
        }
    }
}
