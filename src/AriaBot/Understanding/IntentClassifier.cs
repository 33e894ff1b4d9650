namespace AriaBot.Understanding;

/// <summary>One intent and how likely it is (0–1; the scores of one utterance add up to 1).</summary>
public sealed record IntentScore(Intent Intent, double Score);

/// <summary>
/// A multinomial logistic regression over <see cref="IntentFeatures"/>, trained from the example utterances: ahead of
/// time and shipped beside them (<see cref="ClassifierModelFile"/>), or in-process when the shipped model does not match
/// the lines (about a second of CPU per locale). Softmax outputs are used as confidences: not
/// perfectly calibrated, but monotonic and good enough to decide when to ask "did you mean…".
/// Training is deterministic (fixed shuffle seed), so the same examples give the same model.
/// </summary>
public sealed class IntentClassifier
{
    private const int Seed = 20261125;

    private readonly IntentFeatures _features;
    private readonly Intent[] _labels;
    private readonly double[] _bias;

    // The weights feature-major (feature f's weight for class c at f * classes + c): a message has a few dozen
    // features, so a turn reads a few dozen short contiguous runs instead of one scattered read per feature and class.
    private readonly double[] _byFeature;

    private IntentClassifier(IntentFeatures features, Intent[] labels, double[] bias, double[] byFeature)
    {
        _features = features;
        _labels = labels;
        _bias = bias;
        _byFeature = byFeature;
    }

    private IntentClassifier(IntentFeatures features, Intent[] labels, double[][] weights, double[] bias)
    {
        _features = features;
        _labels = labels;
        _bias = bias;
        _byFeature = new double[features.Count * labels.Length];
        for (var c = 0; c < labels.Length; c++)
        {
            for (var f = 0; f < features.Count; f++)
            {
                _byFeature[(f * labels.Length) + c] = weights[c][f];
            }
        }
    }

    public IReadOnlyList<Intent> Labels => _labels;

    /// <summary>Everything the model answers from (ClassifierModelFile writes it; nothing is recomputed on reading).</summary>
    internal (IntentFeatures Features, Intent[] Labels, double[] Bias, double[] ByFeature) Parts => (_features, _labels, _bias, _byFeature);

    /// <summary>A model read back from its parts (ClassifierModelFile): it answers exactly as the model that was written.</summary>
    internal static IntentClassifier FromParts(IntentFeatures features, Intent[] labels, double[] bias, double[] byFeature)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(byFeature);
        if (bias.Length != labels.Length || byFeature.Length != features.Count * labels.Length)
        {
            throw new ArgumentException("The model's parts do not fit together.", nameof(byFeature));
        }

        return new IntentClassifier(features, labels, bias, byFeature);
    }

    public static IntentClassifier Train(IReadOnlyList<(Intent Intent, string Text)> examples) => Train(examples, ClassifierSettings.Default);

    /// <summary>Trains with explicit settings: how <see cref="ClassifierSettings.Default"/> was chosen (cross-validation, ClassifierSelectionTests).</summary>
    internal static IntentClassifier Train(IReadOnlyList<(Intent Intent, string Text)> examples, ClassifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(examples));
        }

        var features = IntentFeatures.Fit(examples.Select(e => e.Text).ToList(), settings);
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

        return new IntentClassifier(features, labels, raw, bias);
    }

    /// <summary>Whether any word of <paramref name="text"/> appears in a training line.</summary>
    public bool KnowsAnyWord(string text) => _features.KnowsAnyWord(text ?? string.Empty);

    /// <summary>How many words of <paramref name="text"/> only this classifier's training lines hold, and how many only <paramref name="other"/>'s.</summary>
    public (int OnlyHere, int OnlyThere) DistinctWords(string text, IntentClassifier other) => _features.DistinctWords(text ?? string.Empty, other._features);

    /// <summary>Every known intent with its probability, best first. An utterance with no known feature scores nothing.</summary>
    /// <param name="temperature">Temperature scaling (see <see cref="UnderstandingOptions.Temperature"/>); 1 leaves the scores as trained.</param>
    public IReadOnlyList<IntentScore> Classify(string text, double temperature = 1.0)
    {
        var vector = _features.Vectorize(text ?? string.Empty);
        if (vector.IsEmpty)
        {
            return [];
        }

        // Same arithmetic, in the same order per class, as Softmax below (which training uses): the sums run over
        // the features in index order, so the scores equal the row-major computation to the last bit.
        var classes = _labels.Length;
        Span<double> output = classes <= 64 ? stackalloc double[classes] : new double[classes];
        output.Clear();
        for (var k = 0; k < vector.Indices.Length; k++)
        {
            var row = _byFeature.AsSpan(vector.Indices[k] * classes, classes);
            var value = vector.Values[k];
            for (var c = 0; c < classes; c++)
            {
                output[c] += row[c] * value;
            }
        }

        var max = double.NegativeInfinity;
        for (var c = 0; c < classes; c++)
        {
            output[c] = ((output[c] * 1.0) + _bias[c]) / temperature;
            max = Math.Max(max, output[c]);
        }

        var total = 0.0;
        for (var c = 0; c < classes; c++)
        {
            output[c] = Math.Exp(output[c] - max);
            total += output[c];
        }

        // Best first, ties by intent: the order OrderByDescending(score).ThenBy(intent) gave. An insertion sort over a
        // few dozen classes, into the two arrays the answer is (no record per class: RankedIntents).
        var intents = new Intent[classes];
        var scores = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var (intent, score) = (_labels[c], output[c] / total);
            var at = c;
            for (; at > 0 && (scores[at - 1] < score || (scores[at - 1] == score && intents[at - 1] > intent)); at--)
            {
                intents[at] = intents[at - 1];
                scores[at] = scores[at - 1];
            }

            intents[at] = intent;
            scores[at] = score;
        }

        return new RankedIntents(intents, scores);
    }

    private static void Softmax(double[][] weights, double[] bias, double scale, SparseVector vector, double[] output, double temperature = 1.0)
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
