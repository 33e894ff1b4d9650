using System.Reflection;
using System.Text.RegularExpressions;

namespace AriaBot.Language;

/// <summary>
/// The name of one thing the bot says, with the placeholders every wording of it must use. Declared as a
/// <c>public static readonly</c> field in a <see cref="WordKeysAttribute"/> class next to the feature that
/// says it; start-up checks that each key exists in every locale with exactly these placeholders.
/// </summary>
public sealed partial class WordKey : IEquatable<WordKey>
{
    public WordKey(string name, params string[] placeholders)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(placeholders);
        if (!KeyPattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid word key: use area.name (letters, digits, dots), e.g. common.didYouMean.", nameof(name));
        }

        foreach (var placeholder in placeholders)
        {
            if (placeholder is null || !PlaceholderPattern().IsMatch(placeholder))
            {
                throw new ArgumentException($"'{placeholder}' is not a valid placeholder name for {name}.", nameof(placeholders));
            }
        }

        if (placeholders.Distinct(StringComparer.Ordinal).Count() != placeholders.Length)
        {
            throw new ArgumentException($"{name} declares a placeholder twice.", nameof(placeholders));
        }

        Name = name;
        Placeholders = placeholders;
    }

    /// <summary>Dotted name; the part before the first dot is the area (<c>dialogs/&lt;Area&gt;/</c>), case-insensitively.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Placeholders { get; }

    public string Area => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    public bool Equals(WordKey? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as WordKey);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    internal static bool IsValidPlaceholder(string name) => PlaceholderPattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$", RegexOptions.CultureInvariant)]
    internal static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}

/// <summary>Marks a static class whose <see cref="WordKey"/> fields are part of the words catalog.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WordKeysAttribute : Attribute;

/// <summary>Finds every declared <see cref="WordKey"/> by reflection, so a key cannot be forgotten by the start-up check.</summary>
public static class WordKeyDiscovery
{
    private const BindingFlags StaticMembers = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Keys from all <see cref="WordKeysAttribute"/> classes; problems list keys declared elsewhere or declared twice differently.</summary>
    public static IReadOnlyList<WordKey> FindAll(IEnumerable<Assembly> assemblies, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var found = new Dictionary<string, (WordKey Key, string Where)>(StringComparer.Ordinal);
        var issues = new List<string>();
        foreach (var type in assemblies.Distinct().SelectMany(LoadableTypes))
        {
            var marked = type.IsDefined(typeof(WordKeysAttribute), inherit: false);
            foreach (var field in type.GetFields(StaticMembers).Where(f => f.FieldType == typeof(WordKey)))
            {
                var where = $"{type.FullName}.{field.Name}";
                if (!marked)
                {
                    issues.Add($"{where} declares a word key outside a [WordKeys] class; mark {type.Name} with [WordKeys] so start-up checks it.");
                    continue;
                }

                if (field.GetValue(null) is not WordKey key)
                {
                    issues.Add($"{where} is null.");
                    continue;
                }

                if (found.TryGetValue(key.Name, out var existing))
                {
                    if (!existing.Key.Placeholders.SequenceEqual(key.Placeholders))
                    {
                        issues.Add($"{key.Name} is declared by {existing.Where} and {where} with different placeholders.");
                    }

                    continue;
                }

                found[key.Name] = (key, where);
            }
        }

        problems = issues;
        return found.Values.Select(v => v.Key).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
