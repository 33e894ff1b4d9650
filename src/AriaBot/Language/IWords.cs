using System.Collections.Concurrent;
using System.Reflection;

namespace AriaBot.Language;

/// <summary>
/// What the bot says, in the user's locale. Arguments fill the key's placeholders; numbers and dates passed as
/// <see cref="IFormattable"/> are formatted in the locale's culture, but money and dates usually read better
/// pre-formatted with <see cref="WordsFormat"/>.
/// </summary>
public interface IWords
{
    /// <summary>One wording of <paramref name="key"/>; unsupported or null locales fall back to en-US.</summary>
    /// <exception cref="ArgumentException">An argument is missing, or is not a placeholder of the key.</exception>
    string Format(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null);

    /// <summary>Every wording of <paramref name="key"/>, formatted; for tests and for previews.</summary>
    IReadOnlyList<string> FormatAll(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null);
}

public static class WordsExtensions
{
    // A type's readable properties, found once per type (issue 22): GetProperties copies its array and every call used
    // to filter it again through LINQ. The types are the anonymous argument objects written in the code, a fixed set.
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Readable = new();

    /// <summary>Arguments from an object's public properties: <c>words.Format(key, locale, new { first, second })</c>.</summary>
    public static string Format(this IWords words, WordKey key, string? locale, object args)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Format(key, locale, ToDictionary(args));
    }

    internal static Dictionary<string, object?> ToDictionary(object args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is IReadOnlyDictionary<string, object?> dictionary)
        {
            return dictionary.ToDictionary(StringComparer.Ordinal);
        }

        var properties = Readable.GetOrAdd(args.GetType(), static type => [.. type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0)]);
        var values = new Dictionary<string, object?>(properties.Length, StringComparer.Ordinal);
        foreach (var property in properties)
        {
            // Add, like the ToDictionary it replaces: two properties of one name are still an error, not a silent pick.
            values.Add(property.Name, property.GetValue(args));
        }

        return values;
    }
}
