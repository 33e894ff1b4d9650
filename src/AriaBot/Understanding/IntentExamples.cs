using AriaBot.Language;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>Example utterances per intent and locale, read from <c>.lu</c> files and checked against <see cref="Intent"/>.</summary>
public sealed class IntentExamples
{
    /// <summary>Fewer examples than this per intent and locale is an error: the classifier would barely learn it.</summary>
    public const int MinimumPerIntent = 10;

    private readonly Dictionary<BotCulture, List<(Intent Intent, string Text)>> _byCulture;

    private IntentExamples(Dictionary<BotCulture, List<(Intent Intent, string Text)>> byCulture)
    {
        _byCulture = byCulture;
    }

    public IReadOnlyList<(Intent Intent, string Text)> For(BotCulture culture) =>
        _byCulture.TryGetValue(culture, out var examples) ? examples : [];

    /// <summary>
    /// Reads every <c>.lu</c> file under <c>dialogs/</c>: the intents in <c>Intents/</c> and the off-topic lines
    /// (<c># None</c>) in <c>OffTopic/</c>; throws with every problem found.
    /// </summary>
    public static IntentExamples LoadValidated(string dialogsPath)
    {
        var problems = new List<LanguageProblem>();
        var files = DialogsFolder.Read(dialogsPath, "lu", problems);
        var examples = FromFiles(files, problems);
        if (problems.Count > 0)
        {
            throw new LanguageValidationException(problems);
        }

        return examples;
    }

    /// <summary>
    /// Builds the examples (<c># None</c> lines train the off-topic class), reporting unknown intent names, intents with too few examples in a locale, and an
    /// utterance listed under two intents (a contradiction the classifier cannot learn).
    /// </summary>
    public static IntentExamples FromFiles(IEnumerable<DialogsFile> files, List<LanguageProblem> problems, int minimumPerIntent = MinimumPerIntent)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(problems);
        var byCulture = BotCulture.Supported.ToDictionary(c => c, _ => new List<(Intent Intent, string Text)>());
        var seen = BotCulture.Supported.ToDictionary(c => c, _ => new Dictionary<string, (Intent Intent, string Where)>(StringComparer.Ordinal));
        foreach (var file in files)
        {
            foreach (var intent in LuParser.Parse(file.Content, file.Source, problems))
            {
                if (!Enum.TryParse<Intent>(intent.Name, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
                {
                    problems.Add(new LanguageProblem(file.Source, intent.Line, $"'{intent.Name}' is not an intent (see src/AriaBot/Understanding/Intent.cs)."));
                    continue;
                }

                foreach (var utterance in intent.Utterances)
                {
                    var key = IntentFeatures.Normalize(utterance.Text);
                    var where = $"{file.Source}:{utterance.Line}";
                    if (seen[file.Culture].TryGetValue(key, out var earlier))
                    {
                        if (earlier.Intent != parsed)
                        {
                            problems.Add(new LanguageProblem(file.Source, utterance.Line, $"'{utterance.Text}' is also an example of {earlier.Intent} at {earlier.Where}."));
                        }

                        continue;
                    }

                    seen[file.Culture][key] = (parsed, where);
                    byCulture[file.Culture].Add((parsed, utterance.Text));
                }
            }
        }

        foreach (var (culture, examples) in byCulture)
        {
            foreach (var intent in Intents.Trainable)
            {
                var count = examples.Count(e => e.Intent == intent);
                if (count < minimumPerIntent)
                {
                    problems.Add(new LanguageProblem($"dialogs/Intents/Intents.{culture.Name}.lu", 0, $"{intent} has {count} example(s); at least {minimumPerIntent} are needed."));
                }
            }
        }

        return new IntentExamples(byCulture);
    }
}
