using System.Collections;

namespace AriaBot.Understanding;

/// <summary>
/// A classifier's answer, best first, held as two arrays; an <see cref="IntentScore"/> is made only for the entries a
/// caller reads. Every line is classified against every intent, but the bot reads the first one or two: one record per
/// intent per line was about 1 KB of a line's allocations (issue 22). Read-only, so one answer serves any reader.
/// </summary>
internal sealed class RankedIntents : IReadOnlyList<IntentScore>
{
    private readonly Intent[] _intents;
    private readonly double[] _scores;

    // The position left out (the off-topic class, reported apart), or -1 for none: a view without copying.
    private readonly int _skip;

    public RankedIntents(Intent[] intents, double[] scores)
        : this(intents, scores, -1)
    {
    }

    private RankedIntents(Intent[] intents, double[] scores, int skip)
    {
        _intents = intents;
        _scores = scores;
        _skip = skip;
    }

    public int Count => _skip < 0 ? _intents.Length : _intents.Length - 1;

    public IntentScore this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var at = _skip >= 0 && index >= _skip ? index + 1 : index;
            return new IntentScore(_intents[at], _scores[at]);
        }
    }

    /// <summary>
    /// The intents of <paramref name="all"/> but the off-topic class, and that class's score: a classifier's ranking is
    /// viewed rather than copied; any other list (a button's exact title, ranked by the understander) is filtered.
    /// </summary>
    public static (IReadOnlyList<IntentScore> Scores, double OffTopicScore) WithoutOffTopic(IReadOnlyList<IntentScore> all)
    {
        if (all is RankedIntents ranked)
        {
            var others = ranked.Without(Intent.None, out var offTopic);
            return (others, offTopic);
        }

        return (all.Where(s => s.Intent != Intent.None).ToList(), all.FirstOrDefault(s => s.Intent == Intent.None)?.Score ?? 0);
    }

    /// <summary>This ranking without <paramref name="intent"/>, and that intent's score (0 when it is not ranked).</summary>
    public RankedIntents Without(Intent intent, out double score)
    {
        if (_skip >= 0)
        {
            throw new InvalidOperationException("The ranking already leaves an intent out.");
        }

        var at = Array.IndexOf(_intents, intent);
        score = at >= 0 ? _scores[at] : 0;
        return at >= 0 ? new RankedIntents(_intents, _scores, at) : this;
    }

    public IEnumerator<IntentScore> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
