using System.Reflection;
using BotRuntime.Privacy;
using BotRuntime.Recognition;

namespace BotRuntime.Tests.Privacy;

/// <summary>
/// The shortcuts that skip <see cref="SensitiveText"/>'s scans (issue 22) never change what is found: on the
/// sensitive-text tests' own inputs, every sentence the bot can say (dialogs/), and variants of each with secrets,
/// accents, other digits and upper case put in, the findings with and without shortcuts are the same.
/// </summary>
public sealed class SensitiveTextShortcutsTests
{
    private static readonly string[] Insertions =
    [
        "", "4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444", "cvv 123", "CVC: 9876", "código de seguridad: 4567",
        "my password is hunter2", "PWD: s3cr3t", "pass: x", "mi CONTRASEÑA es Pepe1234", "la clave es 9981", "cambia mi contraseña a Verano2026",
        "set my PIN to 4321", "código pin: 1234", "pässwörd is abc", "pẃd: zz", "٤١١١١١١١١١١١١١١١", "１２３４", "١٢٣", "884211", "$1,234.56",
        "password=[password removed]", "ñ", "’", "🙂",
    ];

    [Fact]
    public void Folding_keeps_every_character_a_digit_or_a_non_digit()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            char folded;
            try
            {
                folded = TextFolding.FoldChar(ch);
            }
            catch (ArgumentException)
            {
                // Not a valid code point on its own (U+FFFE…): folding such text throws with or without shortcuts.
                continue;
            }
            Assert.True(char.IsDigit(folded) == char.IsDigit(ch), $"U+{c:X4}");
        }
    }

    [Fact]
    public void The_corpus_holds_texts_with_and_without_findings()
    {
        var texts = Corpus().ToList();
        Assert.True(texts.Count > 1000, $"{texts.Count} texts");
        Assert.Contains(texts, text => SensitiveText.Detect(text).Count > 0);
        Assert.Contains(texts, text => SensitiveText.Detect(text).Count == 0 && text.Contains("password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_text_of_the_corpus_gives_the_same_findings_with_and_without_shortcuts()
    {
        string[] marked = ["884211"];
        var differences = new List<string>();
        foreach (var text in Corpus().Distinct(StringComparer.Ordinal))
        {
            // Asked twice before it counts: a scan that overran its regex budget on a loaded machine marks the whole
            // text, which one run may do and the other not.
            if (!Same(text) && !Same(text))
            {
                differences.Add(text);
            }
        }
        Assert.Empty(differences);

        bool Same(string text) => SensitiveText.Detect(text, marked, shortcuts: true).SequenceEqual(SensitiveText.Detect(text, marked, shortcuts: false));
    }

    [Fact]
    public void Redacting_with_shortcuts_returns_the_same_string_when_nothing_is_found()
    {
        const string Reply = "I can help you switch your plan, pay your bill or see your statements.";
        Assert.Same(Reply, SensitiveText.Redact(Reply).Text);
        Assert.Empty(SensitiveText.Detect(Reply));
    }

    /// <summary>The inline inputs of <see cref="SensitiveTextTests"/>, every line of dialogs/, and variants of each.</summary>
    private static IEnumerable<string> Corpus()
    {
        var seeds = typeof(SensitiveTextTests).GetMethods()
            .SelectMany(method => method.GetCustomAttributes<InlineDataAttribute>())
            .SelectMany(data => data.GetData(null!).SelectMany(row => row))
            .OfType<string>()
            .Concat(DialogLines())
            .ToList();
        var random = new Random(22);
        foreach (var seed in seeds)
        {
            yield return seed;
            yield return seed.ToUpperInvariant();
            var insertion = Insertions[random.Next(Insertions.Length)];
            var at = random.Next(seed.Length + 1);
            yield return seed[..at] + " " + insertion + " " + seed[at..];
            yield return string.Concat(seed, " ", Insertions[random.Next(Insertions.Length)]);
        }
        foreach (var insertion in Insertions)
        {
            yield return insertion;
            yield return insertion.ToUpperInvariant();
        }
    }

    private static IEnumerable<string> DialogLines()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AriaBot.sln")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        // What the bot says (.lg) and example utterances (.lu); not the trained models.
        return Directory.EnumerateFiles(Path.Combine(folder.FullName, "dialogs"), "*.l?", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Trim().TrimStart('-', '#', '>').Trim())
            .Where(line => line.Length > 0);
    }
}
