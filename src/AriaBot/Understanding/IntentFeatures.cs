using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// Turns an utterance into sparse TF-IDF features: words, word pairs (with sentence edges, so a lone "cancel"
/// differs from "cancel my plan") and character 3–5-grams inside words (typos, "cancelar"/"cancela", plurals).
/// Text is folded (case, accents) and digit runs become "0" so "3 seats" and "12 seats" look alike.
/// </summary>
internal sealed class IntentFeatures
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly double[] _idf;
    private readonly double[] _groupWeights;

    private IntentFeatures(Dictionary<string, int> index, double[] idf, double[] groupWeights)
    {
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        _idf = idf;
        _groupWeights = groupWeights;
    }

    public int Count => _idf.Length;

    public static IntentFeatures Fit(IReadOnlyList<string> texts, ClassifierSettings settings)
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

        return new IntentFeatures(index, idf, [1.0, settings.PairWeight, settings.CharWeight]);
    }

    /// <summary>The fitted vocabulary in index order, its IDF and the group weights: what a model file stores (ClassifierModelFile).</summary>
    internal (string[] Names, double[] Idf, double[] GroupWeights) Parts()
    {
        var names = new string[_idf.Length];
        foreach (var (name, index) in _lookup.Dictionary)
        {
            names[index] = name;
        }

        return (names, _idf, _groupWeights);
    }

    /// <summary>The features of a model read from a file: the same vocabulary and weights <see cref="Fit"/> produced.</summary>
    internal static IntentFeatures FromParts(string[] names, double[] idf, double[] groupWeights)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            index.Add(names[i], i);
        }

        return new IntentFeatures(index, idf, groupWeights);
    }

    /// <summary>Whether any word of the text (not just a few letters of one) appears in a training line.</summary>
    public bool KnowsAnyWord(string text)
    {
        var scratch = FeatureScratch.Rent(MaxNormalizedLength(text.Length));
        ReadOnlySpan<char> normalized = scratch.Normalized.AsSpan(0, NormalizeInto(text, scratch.Normalized));
        foreach (var range in normalized.Split(' '))
        {
            if (TryIndex(scratch, "w:", normalized[range], out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many words of the text only this vocabulary knows, and how many only <paramref name="other"/> knows.</summary>
    public (int OnlyHere, int OnlyThere) DistinctWords(string text, IntentFeatures other)
    {
        var scratch = FeatureScratch.Rent(MaxNormalizedLength(text.Length));
        ReadOnlySpan<char> normalized = scratch.Normalized.AsSpan(0, NormalizeInto(text, scratch.Normalized));
        var (here, there) = (0, 0);
        foreach (var range in normalized.Split(' '))
        {
            var knownHere = TryIndex(scratch, "w:", normalized[range], out _);
            if (knownHere != other.TryIndex(scratch, "w:", normalized[range], out _))
            {
                (here, there) = knownHere ? (here + 1, there) : (here, there + 1);
            }
        }

        return (here, there);
    }

    /// <summary>L2-normalised sparse vector; features never seen in training are dropped.</summary>
    /// <remarks>
    /// The hot path of every free-text turn: features are looked up as spans in a reused buffer (no string per
    /// n-gram), and the arithmetic runs in the same order as the string-based version it replaced (issue 22), so the
    /// values are the same to the last bit (FastPathOracleTests compares with that version).
    /// </remarks>
    public SparseVector Vectorize(string text)
    {
        var scratch = FeatureScratch.Rent(MaxNormalizedLength(text.Length));
        ReadOnlySpan<char> normalized = scratch.Normalized.AsSpan(0, NormalizeInto(text, scratch.Normalized));
        var tokens = scratch.Tokens;
        var tokenCount = 0;
        if (normalized.Length > 0)
        {
            foreach (var range in normalized.Split(' '))
            {
                tokens[tokenCount++] = range;
            }
        }

        for (var i = 0; i < tokenCount; i++)
        {
            var token = normalized[tokens[i]];
            Tally(scratch, 0, "w:", token, default, default);
            if (EntityPlaceholders.IsFeatureWord(token))
            {
                continue;
            }

            // " " + token + " ", cut into 3-, 4- and 5-grams: written once into the key buffer, read as slices.
            var word = scratch.Word(token.Length + 2);
            word[0] = ' ';
            token.CopyTo(word[1..]);
            word[^1] = ' ';
            for (var n = 3; n <= 5; n++)
            {
                for (var start = 0; start + n <= word.Length; start++)
                {
                    Tally(scratch, 2, "c:", word.Slice(start, n), default, default);
                }
            }
        }

        for (var i = -1; i < tokenCount && tokenCount > 0; i++)
        {
            var left = i < 0 ? "<s>".AsSpan() : normalized[tokens[i]];
            var right = i + 1 < tokenCount ? normalized[tokens[i + 1]] : "</s>".AsSpan();
            Tally(scratch, 1, "b:", left, "_", right);
        }

        var found = 0;
        for (var g = 0; g < FeatureScratch.Groups; g++)
        {
            var (indices, counts, n) = (scratch.Indices[g], scratch.Counts[g], scratch.Found[g]);
            var norm = 0.0;
            for (var k = 0; k < n; k++)
            {
                var value = (1 + Math.Log(counts[k])) * _idf[indices[k]];
                norm += value * value;
            }

            if (norm == 0)
            {
                continue;
            }

            var scale = _groupWeights[g] / Math.Sqrt(norm);
            for (var k = 0; k < n; k++)
            {
                // Each feature belongs to one group, so "0 + x" is the whole weight, as in the dictionary it replaced.
                scratch.Weights[found] = 0 + ((1 + Math.Log(counts[k])) * _idf[indices[k]] * scale);
                scratch.Order[found++] = indices[k];
            }
        }

        var total = 0.0;
        for (var k = 0; k < found; k++)
        {
            total += scratch.Weights[k] * scratch.Weights[k];
        }

        total = Math.Sqrt(total);
        var sortedIndices = scratch.Order.AsSpan(0, found).ToArray();
        var values = scratch.Weights.AsSpan(0, found).ToArray();
        Array.Sort(sortedIndices, values);
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = total == 0 ? 0 : values[k] / total;
        }

        return new SparseVector(sortedIndices, values);
    }

    private bool TryIndex(FeatureScratch scratch, string prefix, ReadOnlySpan<char> a, out int index, ReadOnlySpan<char> middle = default, ReadOnlySpan<char> b = default)
    {
        var key = scratch.Key(prefix.Length + a.Length + middle.Length + b.Length);
        prefix.CopyTo(key);
        a.CopyTo(key[prefix.Length..]);
        middle.CopyTo(key[(prefix.Length + a.Length)..]);
        b.CopyTo(key[(prefix.Length + a.Length + middle.Length)..]);
        return _lookup.TryGetValue(key, out index);
    }

    // Counts one occurrence of a known feature in its group, keeping the groups' first-seen order.
    private void Tally(FeatureScratch scratch, int group, string prefix, ReadOnlySpan<char> a, ReadOnlySpan<char> middle, ReadOnlySpan<char> b)
    {
        if (!TryIndex(scratch, prefix, a, out var index, middle, b))
        {
            return;
        }

        if (scratch.Slot.TryGetValue(index, out var slot))
        {
            scratch.Counts[group][slot]++;
            return;
        }

        slot = scratch.Found[group]++;
        scratch.Slot[index] = slot;
        scratch.Indices[group][slot] = index;
        scratch.Counts[group][slot] = 1;
    }

    internal static string Normalize(string text)
    {
        var buffer = new char[MaxNormalizedLength(text.Length)];
        return new string(buffer, 0, NormalizeInto(text, buffer));
    }

    // A placeholder of 5–6 characters becomes its feature word with a space on each side (at most 10 characters).
    internal static int MaxNormalizedLength(int length) => (length * 2) + 2;

    /// <summary>
    /// Writes the normalised form of <paramref name="text"/> into <paramref name="output"/>: placeholders become
    /// their feature words, text is folded, digit runs become "0", apostrophes vanish ("don't" = "dont", "what's" =
    /// "whats": people type both), everything else that is not a letter separates words, and words are joined by
    /// one space. Returns the length written.
    /// </summary>
    internal static int NormalizeInto(ReadOnlySpan<char> text, Span<char> output)
    {
        var length = 0;
        var lastWasDigit = false;
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '<' && EntityPlaceholders.FeatureWordAt(text[i..]) is { } placeholder)
            {
                // The feature word stands alone, with separators on both sides, like the text it replaced; the
                // separator before it ends any digit run.
                pendingSpace = length > 0;
                lastWasDigit = false;
                foreach (var ch in placeholder.Feature)
                {
                    Append(output, ref length, ref pendingSpace, ch, ref lastWasDigit);
                }

                pendingSpace = true;
                lastWasDigit = false;
                i += placeholder.Length - 1;
                continue;
            }

            Append(output, ref length, ref pendingSpace, TextFolding.FoldChar(text[i]), ref lastWasDigit);
        }

        return length;
    }

    private static void Append(Span<char> output, ref int length, ref bool pendingSpace, char ch, ref bool lastWasDigit)
    {
        if (char.IsDigit(ch))
        {
            if (!lastWasDigit)
            {
                Write(output, ref length, ref pendingSpace, '0');
            }

            lastWasDigit = true;
            return;
        }

        lastWasDigit = false;
        if (char.IsLetter(ch))
        {
            Write(output, ref length, ref pendingSpace, ch);
        }
        else if (ch is not ('\'' or '\u2019'))
        {
            pendingSpace = length > 0;
        }
    }

    private static void Write(Span<char> output, ref int length, ref bool pendingSpace, char ch)
    {
        if (pendingSpace)
        {
            output[length++] = ' ';
            pendingSpace = false;
        }

        output[length++] = ch;
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

internal readonly record struct SparseVector(int[] Indices, double[] Values)
{
    public bool IsEmpty => Indices.Length == 0;
}
