namespace AriaBot.Understanding;

/// <summary>
/// One thread's reusable buffers for <see cref="IntentFeatures.Vectorize"/>: a turn featurises on one thread at a
/// time, so a thread-static set avoids allocating per n-gram without any locking.
/// </summary>
internal sealed class FeatureScratch
{
    public const int Groups = 3;

    [ThreadStatic]
    private static FeatureScratch? _current;

    private char[] _key = new char[64];
    private char[] _word = new char[64];

    private FeatureScratch(int capacity)
    {
        Normalized = new char[capacity];
        Tokens = new Range[capacity + 1];
        // Per group at most: a word per token, a pair per token and one more, 3 n-gram lengths per padded position.
        var features = (3 * (capacity + 2)) + 8;
        Indices = [new int[features], new int[features], new int[features]];
        Counts = [new int[features], new int[features], new int[features]];
        Weights = new double[3 * features];
        Order = new int[3 * features];
    }

    public char[] Normalized { get; }

    public Range[] Tokens { get; }

    public int[][] Indices { get; }

    public int[][] Counts { get; }

    public int[] Found { get; } = new int[Groups];

    public Dictionary<int, int> Slot { get; } = [];

    public double[] Weights { get; }

    public int[] Order { get; }

    /// <summary>This thread's buffers, large enough for a normalised text of <paramref name="capacity"/> characters, emptied.</summary>
    public static FeatureScratch Rent(int capacity)
    {
        var scratch = _current;
        if (scratch is null || scratch.Normalized.Length < capacity)
        {
            scratch = _current = new FeatureScratch(Math.Max(capacity, 256));
        }

        Array.Clear(scratch.Found);
        scratch.Slot.Clear();
        return scratch;
    }

    public Span<char> Key(int length)
    {
        if (_key.Length < length)
        {
            _key = new char[length * 2];
        }

        return _key.AsSpan(0, length);
    }

    public Span<char> Word(int length)
    {
        if (_word.Length < length)
        {
            _word = new char[length * 2];
        }

        return _word.AsSpan(0, length);
    }
}
