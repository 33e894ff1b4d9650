using BotRuntime.Recognition;

namespace AriaBot.Language;

/// <summary>
/// Every wording of every key, per locale, read from the <c>.lg</c> files under <c>dialogs/</c> and checked
/// against the keys declared in code: a key missing in a locale, a wording with a missing or unknown placeholder,
/// or a key in a file that no code declares (stale words) is a start-up error.
/// </summary>
public sealed class WordsCatalog
{
    private readonly Dictionary<BotCulture, Dictionary<string, WordTemplate>> _byCulture;

    private WordsCatalog(Dictionary<BotCulture, Dictionary<string, WordTemplate>> byCulture)
    {
        _byCulture = byCulture;
    }

    public IEnumerable<BotCulture> Cultures => _byCulture.Keys;

    /// <summary>Reads the files and checks them against <paramref name="declared"/>; throws with every problem found.</summary>
    public static WordsCatalog LoadValidated(string dialogsPath, IReadOnlyCollection<WordKey> declared)
    {
        var problems = new List<LanguageProblem>();
        var catalog = FromFiles(DialogsFolder.Read(dialogsPath, "lg", problems), problems);
        problems.AddRange(catalog.Validate(declared));
        if (problems.Count > 0)
        {
            throw new LanguageValidationException(problems);
        }

        return catalog;
    }

    /// <summary>Builds a catalog from file contents; format problems (and duplicate keys) are appended to <paramref name="problems"/>.</summary>
    public static WordsCatalog FromFiles(IEnumerable<DialogsFile> files, List<LanguageProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(problems);
        var byCulture = BotCulture.Supported.ToDictionary(c => c, _ => new Dictionary<string, WordTemplate>(StringComparer.Ordinal));
        foreach (var file in files)
        {
            foreach (var template in LgParser.Parse(file.Content, file.Source, problems))
            {
                var keyArea = template.Key[..template.Key.IndexOf('.', StringComparison.Ordinal)];
                if (!string.Equals(keyArea, file.Area, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new LanguageProblem(file.Source, template.Line, $"'{template.Key}' belongs in dialogs/{keyArea}/, not in the {file.Area} area."));
                    continue;
                }

                var keys = byCulture[file.Culture];
                if (keys.TryGetValue(template.Key, out var existing))
                {
                    problems.Add(new LanguageProblem(file.Source, template.Line, $"'{template.Key}' is already defined at {existing.Source}:{existing.Line}."));
                    continue;
                }

                keys[template.Key] = template;
            }
        }

        return new WordsCatalog(byCulture);
    }

    /// <summary>Compares the catalog with the keys declared in code.</summary>
    public IReadOnlyList<LanguageProblem> Validate(IReadOnlyCollection<WordKey> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var problems = new List<LanguageProblem>();
        var declaredNames = declared.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (culture, templates) in _byCulture)
        {
            foreach (var key in declared)
            {
                if (!templates.TryGetValue(key.Name, out var template))
                {
                    problems.Add(new LanguageProblem($"dialogs/{AreaFolder(key, templates)}/{AreaFolder(key, templates)}.{culture.Name}.lg", 0, $"'{key.Name}' is missing."));
                    continue;
                }

                var expected = key.Placeholders.ToHashSet(StringComparer.Ordinal);
                foreach (var variation in template.Variations)
                {
                    foreach (var missing in expected.Except(variation.Placeholders).Order(StringComparer.Ordinal))
                    {
                        problems.Add(new LanguageProblem(template.Source, variation.Line, $"'{key.Name}' must use ${{{missing}}}."));
                    }

                    foreach (var unknown in variation.Placeholders.Except(expected).Order(StringComparer.Ordinal))
                    {
                        problems.Add(new LanguageProblem(template.Source, variation.Line, $"'{key.Name}' has no placeholder ${{{unknown}}} (declared: {Describe(key)})."));
                    }
                }
            }

            foreach (var stale in templates.Values.Where(t => !declaredNames.Contains(t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                problems.Add(new LanguageProblem(stale.Source, stale.Line, $"'{stale.Key}' is not declared in code (stale words?)."));
            }
        }

        return problems;
    }

    /// <summary>The wordings of a key in a culture; null when the catalog lacks it (only before validation).</summary>
    public WordTemplate? Find(BotCulture culture, string key) =>
        _byCulture.TryGetValue(culture, out var templates) && templates.TryGetValue(key, out var template) ? template : null;

    private static string AreaFolder(WordKey key, Dictionary<string, WordTemplate> templates)
    {
        // Prefer the folder spelling already used by sibling keys ("Common"), else capitalise the key's area.
        var sibling = templates.Values.FirstOrDefault(t => t.Key.StartsWith(key.Area + ".", StringComparison.OrdinalIgnoreCase));
        if (sibling is not null)
        {
            return sibling.Source.Split('/')[0];
        }

        return char.ToUpperInvariant(key.Area[0]) + key.Area[1..];
    }

    private static string Describe(WordKey key) => key.Placeholders.Count == 0 ? "none" : string.Join(", ", key.Placeholders.Select(p => "${" + p + "}"));
}
