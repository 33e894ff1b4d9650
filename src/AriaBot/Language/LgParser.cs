using System.Text;

namespace AriaBot.Language;

/// <summary>One piece of a wording: literal text or a named placeholder.</summary>
public readonly record struct WordSegment(string Text, bool IsPlaceholder);

/// <summary>One way of saying a key; <see cref="Placeholders"/> are the names it uses.</summary>
public sealed record WordVariation(IReadOnlyList<WordSegment> Segments, IReadOnlySet<string> Placeholders, int Line);

/// <summary>A <c># key</c> and its <c>- variation</c> lines, as read from one <c>.lg</c> file.</summary>
public sealed record WordTemplate(string Key, IReadOnlyList<WordVariation> Variations, string Source, int Line);

/// <summary>
/// Reads the subset of Bot Framework's <c>.lg</c> format described in <c>dialogs/README.md</c>:
/// <c>&gt;</c> comments, <c># key</c> headings, <c>- text</c> variations with <c>${name}</c> placeholders, and
/// <c>- ```</c> … <c>```</c> blocks for text over several lines. Everything else LG offers (expressions,
/// conditions, structured templates, imports) is reported as unsupported rather than silently misread.
/// </summary>
public static class LgParser
{
    private const string Fence = "```";

    public static IReadOnlyList<WordTemplate> Parse(string content, string source, List<LanguageProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        var templates = new List<WordTemplate>();
        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? key = null;
        var keyLine = 0;
        var variations = new List<WordVariation>();

        // After a bad heading or a rejected variation, one problem is enough: no follow-on "orphan" or "empty" reports.
        var skipping = false;
        var rejected = false;

        void Close()
        {
            if (key is null)
            {
                return;
            }

            if (variations.Count == 0 && !rejected)
            {
                problems.Add(new LanguageProblem(source, keyLine, $"'{key}' has no '- ' variation."));
            }
            else
            {
                templates.Add(new WordTemplate(key, variations.ToList(), source, keyLine));
            }

            key = null;
            variations.Clear();
            rejected = false;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('>'))
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                Close();
                skipping = true;
                var name = line[1..].Trim();
                if (name.Contains('(', StringComparison.Ordinal))
                {
                    problems.Add(new LanguageProblem(source, lineNumber, $"'{name}': template parameters are not supported; placeholders are declared in code."));
                    continue;
                }

                if (!WordKey.KeyPattern().IsMatch(name))
                {
                    problems.Add(new LanguageProblem(source, lineNumber, $"'{name}' is not a valid key (area.name, letters and digits)."));
                    continue;
                }

                key = name;
                keyLine = lineNumber;
                skipping = false;
                continue;
            }

            if (line.StartsWith('-'))
            {
                var text = line[1..].TrimStart();
                if (key is null && skipping)
                {
                    continue;
                }

                if (key is null)
                {
                    problems.Add(new LanguageProblem(source, lineNumber, "a '- ' variation before any '# key'."));
                    continue;
                }

                if (text.StartsWith(Fence, StringComparison.Ordinal))
                {
                    var (block, end) = ReadBlock(lines, i, text[Fence.Length..], source, problems);
                    i = end;
                    if (block is null)
                    {
                        rejected = true;
                        continue;
                    }

                    text = block;
                    if (text.Length == 0)
                    {
                        problems.Add(new LanguageProblem(source, lineNumber, $"'{key}' has an empty multi-line variation."));
                        rejected = true;
                        continue;
                    }

                    rejected |= !AddVariation(text, lineNumber, source, problems, variations, allowEscapes: false);
                    continue;
                }

                if (IsConditional(text))
                {
                    problems.Add(new LanguageProblem(source, lineNumber, "conditional variations (IF/ELSE/SWITCH) are not supported; write a separate key."));
                    rejected = true;
                    continue;
                }

                if (text.Length == 0)
                {
                    problems.Add(new LanguageProblem(source, lineNumber, $"'{key}' has an empty variation."));
                    rejected = true;
                    continue;
                }

                rejected |= !AddVariation(text, lineNumber, source, problems, variations, allowEscapes: true);
                continue;
            }

            problems.Add(new LanguageProblem(source, lineNumber, line.StartsWith('[')
                ? "imports and structured templates are not supported."
                : "expected '# key', '- variation', '> comment' or a blank line."));
        }

        Close();
        return templates;
    }

    private static bool IsConditional(string text)
    {
        var upper = text.ToUpperInvariant();
        return upper.StartsWith("IF:", StringComparison.Ordinal) || upper.StartsWith("ELSEIF:", StringComparison.Ordinal)
            || upper.StartsWith("ELSE:", StringComparison.Ordinal) || upper.StartsWith("SWITCH:", StringComparison.Ordinal)
            || upper.StartsWith("CASE:", StringComparison.Ordinal) || upper.StartsWith("DEFAULT:", StringComparison.Ordinal);
    }

    // Lines between the fences keep their line breaks; the indentation they share is removed so the file can
    // indent them under the '-' without the chat seeing spaces.
    private static (string? Text, int EndLine) ReadBlock(string[] lines, int start, string firstRest, string source, List<LanguageProblem> problems)
    {
        var content = new List<string>();
        var closeOnFirst = firstRest.IndexOf(Fence, StringComparison.Ordinal);
        if (closeOnFirst >= 0)
        {
            return (firstRest[..closeOnFirst].Trim(), start);
        }

        if (firstRest.Trim().Length > 0)
        {
            content.Add(firstRest.TrimEnd());
        }

        for (var j = start + 1; j < lines.Length; j++)
        {
            var raw = lines[j].TrimEnd();
            var close = raw.IndexOf(Fence, StringComparison.Ordinal);
            if (close >= 0)
            {
                var before = raw[..close];
                if (before.Trim().Length > 0)
                {
                    content.Add(before.TrimEnd());
                }

                return (Dedent(content), j);
            }

            content.Add(raw);
        }

        problems.Add(new LanguageProblem(source, start + 1, "a multi-line variation is not closed with ```."));
        return (null, lines.Length - 1);
    }

    private static string Dedent(List<string> content)
    {
        while (content.Count > 0 && content[0].Trim().Length == 0)
        {
            content.RemoveAt(0);
        }

        while (content.Count > 0 && content[^1].Trim().Length == 0)
        {
            content.RemoveAt(content.Count - 1);
        }

        var indent = content.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', content.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static bool AddVariation(string text, int line, string source, List<LanguageProblem> problems, List<WordVariation> variations, bool allowEscapes)
    {
        var segments = new List<WordSegment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (allowEscapes && ch == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                switch (next)
                {
                    case 'n':
                        literal.Append('\n');
                        i += 2;
                        continue;
                    case '\\':
                    case '$':
                        literal.Append(next);
                        i += 2;
                        continue;
                }
            }

            if (ch == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    problems.Add(new LanguageProblem(source, line, "'${' without a closing '}'."));
                    return false;
                }

                var name = text[(i + 2)..close].Trim();
                if (!WordKey.IsValidPlaceholder(name))
                {
                    problems.Add(new LanguageProblem(source, line, $"'${{{name}}}': only plain placeholders like ${{amount}} are supported."));
                    return false;
                }

                if (literal.Length > 0)
                {
                    segments.Add(new WordSegment(literal.ToString(), false));
                    literal.Clear();
                }

                segments.Add(new WordSegment(name, true));
                names.Add(name);
                i = close + 1;
                continue;
            }

            literal.Append(ch);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new WordSegment(literal.ToString(), false));
        }

        variations.Add(new WordVariation(segments, names, line));
        return true;
    }
}
