namespace AriaBot.Language;

/// <summary>An intent heading and its example utterances, as read from one <c>.lu</c> file.</summary>
public sealed record LuIntent(string Name, IReadOnlyList<LuUtterance> Utterances, string Source, int Line);

public sealed record LuUtterance(string Text, int Line);

/// <summary>
/// Reads the subset of Bot Framework's <c>.lu</c> format we use: <c>&gt;</c> comments, <c># IntentName</c> and
/// <c>- utterance</c> lines. Entity labels, entity definitions, nested sections and imports are reported as
/// unsupported: entities are recognised by code, not labelled in examples.
/// </summary>
public static class LuParser
{
    public static IReadOnlyList<LuIntent> Parse(string content, string source, List<LanguageProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        var intents = new List<LuIntent>();
        string? name = null;
        var nameLine = 0;
        var utterances = new List<LuUtterance>();

        void Close()
        {
            if (name is null)
            {
                return;
            }

            if (utterances.Count == 0)
            {
                problems.Add(new LanguageProblem(source, nameLine, $"intent '{name}' has no '- ' utterance."));
            }

            intents.Add(new LuIntent(name, utterances.ToList(), source, nameLine));
            name = null;
            utterances.Clear();
        }

        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('>'))
            {
                continue;
            }

            if (line.StartsWith("##", StringComparison.Ordinal))
            {
                problems.Add(new LanguageProblem(source, lineNumber, "nested sections are not supported."));
                continue;
            }

            if (line.StartsWith('#'))
            {
                Close();
                var heading = line[1..].Trim();
                if (heading.Length == 0 || !heading.All(char.IsLetterOrDigit))
                {
                    problems.Add(new LanguageProblem(source, lineNumber, $"'{heading}' is not an intent name (letters and digits only)."));
                    continue;
                }

                name = heading;
                nameLine = lineNumber;
                continue;
            }

            if (line.StartsWith('-') || line.StartsWith('*') || line.StartsWith('+'))
            {
                var text = line[1..].Trim();
                if (name is null)
                {
                    problems.Add(new LanguageProblem(source, lineNumber, "an utterance before any '# Intent'."));
                }
                else if (text.Length == 0)
                {
                    problems.Add(new LanguageProblem(source, lineNumber, "an empty utterance."));
                }
                else if (text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal))
                {
                    problems.Add(new LanguageProblem(source, lineNumber, "entity labels ({...}) are not supported; entities are recognised by code."));
                }
                else
                {
                    utterances.Add(new LuUtterance(text, lineNumber));
                }

                continue;
            }

            problems.Add(new LanguageProblem(source, lineNumber, line.StartsWith('@') || line.StartsWith('$') || line.StartsWith('[')
                ? "entity definitions and imports are not supported."
                : "expected '# Intent', '- utterance', '> comment' or a blank line."));
        }

        Close();
        return intents;
    }
}
