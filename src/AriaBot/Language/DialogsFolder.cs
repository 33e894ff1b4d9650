using BotRuntime.Recognition;

namespace AriaBot.Language;

/// <summary>A words or utterances file found under <c>dialogs/</c>, named <c>&lt;Area&gt;/&lt;Area&gt;.&lt;locale&gt;.&lt;ext&gt;</c>.</summary>
public sealed record DialogsFile(string Area, BotCulture Culture, string Source, string Content);

/// <summary>Finds the <c>dialogs/</c> folder and the files in it.</summary>
public static class DialogsFolder
{
    /// <summary>
    /// Where the words live when nothing is configured: next to the binaries (the build copies <c>dialogs/</c>
    /// there, for <c>dotnet run</c> and for tests alike).
    /// </summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "dialogs");

    /// <summary>Reads every <c>*.{extension}</c> file, reporting misnamed ones (wrong folder, unknown locale).</summary>
    public static IReadOnlyList<DialogsFile> Read(string root, string extension, List<LanguageProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(problems);
        if (!Directory.Exists(root))
        {
            problems.Add(new LanguageProblem(root, 0, "the dialogs folder does not exist (set Language:DialogsPath or copy dialogs/ to the output)."));
            return [];
        }

        var files = new List<DialogsFile>();
        foreach (var path in Directory.EnumerateFiles(root, "*." + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var source = Path.GetRelativePath(root, path).Replace('\\', '/');
            var name = Path.GetFileNameWithoutExtension(path);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var folder = Path.GetFileName(Path.GetDirectoryName(path)) ?? string.Empty;
            if (dot <= 0)
            {
                problems.Add(new LanguageProblem(source, 0, $"expected a name like {folder}.en-US.{extension}."));
                continue;
            }

            var area = name[..dot];
            var locale = name[(dot + 1)..];
            if (!string.Equals(area, folder, StringComparison.Ordinal))
            {
                problems.Add(new LanguageProblem(source, 0, $"the file's area '{area}' must match its folder '{folder}'."));
                continue;
            }

            if (!BotCulture.TryGetExact(locale, out var culture) || !string.Equals(culture.Name, locale, StringComparison.Ordinal))
            {
                problems.Add(new LanguageProblem(source, 0, $"'{locale}' is not a supported locale ({string.Join(", ", BotCulture.Supported)})."));
                continue;
            }

            files.Add(new DialogsFile(area, culture, source, File.ReadAllText(path)));
        }

        return files;
    }
}
