namespace BotRuntime.State;

/// <summary>
/// The exclusive upper bound of the keys that start with a prefix, so a prefix read is a range on the ordered key
/// (memory: UTF-16 ordinal; SQLite BINARY and PostgreSQL "C": UTF-8 bytes, i.e. code point order) and stops at the
/// end of the prefix instead of reading every later key.
/// </summary>
internal static class KeyRange
{
    /// <summary>
    /// The prefix with its last character incremented ("a/" → "a0"): every key starting with the prefix sorts
    /// below it and every other key at or above the prefix sorts at or above it, in UTF-16 and in code point order
    /// alike. Null when no such bound is safe in both orders (an empty prefix, or a last character at a surrogate or
    /// U+FFFF edge); the caller then reads without an upper bound and filters by the prefix, as before.
    /// </summary>
    public static string? UpperBound(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return null;
        }
        var last = prefix[^1];
        var next = (char)(last + 1);
        if (last == char.MaxValue || char.IsSurrogate(last) || char.IsSurrogate(next))
        {
            return null;
        }
        return string.Concat(prefix.AsSpan(0, prefix.Length - 1), new ReadOnlySpan<char>(in next));
    }
}
