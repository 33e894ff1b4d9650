using System.Reflection;
using System.Text.RegularExpressions;
using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// <see cref="NumberCue"/> lets <see cref="NumberInput.FindAll"/> skip the number model; it must never skip a text the
/// model finds a number in. Every text the cue rules out is run through the model itself, which must find nothing:
/// every line of dialogs/ and of the held-out files in both cultures, and every word the models' definitions spell
/// (expanded "tr[eé]s" → "tres", "trés"), alone, after an article or a number, joined to another such word with and
/// without a space (compounds such as "veinti" + "uno", "quinti" + "llón").
/// </summary>
public sealed partial class NumberCueTests
{
    public static TheoryData<string> Cultures => ["en-US", "es-ES"];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void No_line_the_cue_rules_out_holds_a_number_for_the_model(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var lines = RepositoryLines().ToList();
        var missed = new List<string>();
        var ruledOut = 0;
        foreach (var line in lines)
        {
            if (!NumberCue.MayHoldNumber(line, culture))
            {
                ruledOut++;
                missed.AddRange(Model(line, culture));
            }
        }

        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
        // Most chat lines hold no number: the cue must see that, or it saves nothing.
        Assert.True(ruledOut > lines.Count / 2, $"{ruledOut} of {lines.Count} lines ruled out");
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void No_word_of_the_models_definitions_the_cue_rules_out_is_a_number(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var words = DefinitionWords(culture);
        string[] before = culture.IsSpanish ? ["un", "una", "dos", "medio", "la"] : ["a", "an", "one", "two", "half a", "the"];
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            texts.Add(word);
            texts.Add(word.ToUpperInvariant());
            texts.UnionWith(before.Select(b => $"{b} {word}"));
            foreach (var other in words)
            {
                texts.Add(word + other);
                texts.Add($"{word} {other}");
            }
        }

        var missed = texts.Where(t => !NumberCue.MayHoldNumber(t, culture)).SelectMany(t => Model(t, culture)).ToList();
        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
        Assert.True(words.Count > 60, $"only {words.Count} words read from the definitions: the test proves little");
    }

    [Theory]
    [InlineData("hi", "en-US", false)]
    [InlineData("help", "en-US", false)]
    [InlineData("what can you do?", "en-US", false)]
    [InlineData("show my bill", "en-US", false)]
    [InlineData("hola", "es-ES", false)]
    [InlineData("quiero pagar mi saldo", "es-ES", false)]
    [InlineData("add 2 extra storage", "en-US", true)]
    [InlineData("pay ½ of it", "en-US", true)]
    [InlineData("I need a dozen", "en-US", true)]
    [InlineData("half", "en-US", true)]
    [InlineData("a mln", "en-US", true)]
    [InlineData("Twenty-Five users", "en-US", true)]
    [InlineData("cuatro licencias", "es-ES", true)]
    [InlineData("cuarenta y dos", "es-ES", true)]
    [InlineData("¿cuánto debo?", "es-ES", false)]
    [InlineData("¿Cuántas licencias tengo?", "es-ES", false)]
    [InlineData("cualquier plan", "es-ES", false)]
    [InlineData("la mitad", "es-ES", true)]
    [InlineData("un quintillón", "es-ES", true)]
    [InlineData("VEINTIÚN", "es-ES", true)]
    [InlineData("tres", "en-US", false)]
    [InlineData("three", "es-ES", false)]
    public void The_cue_reads_digits_fractions_and_the_number_words_of_the_culture(string text, string locale, bool expected)
    {
        var culture = BotCulture.Resolve(locale);
        Assert.Equal(expected, NumberCue.MayHoldNumber(text, culture));
        // Each case states what the model itself answers, so a wrong expectation here cannot hide a skipped number.
        Assert.Equal(expected, Model(text, culture).Any());
    }

    private static IEnumerable<string> Model(string text, BotCulture culture) =>
        RecognizerModels.Number(culture).Parse(text).Select(r => $"'{r.Text}' in '{text}' ({culture.Name})");

    /// <summary>
    /// The letter words spelt by every pattern string of the culture's number definitions (and the shared ones), each
    /// character class inside a word expanded: what the model's patterns can match.
    /// </summary>
    private static List<string> DefinitionWords(BotCulture culture)
    {
        var types = new[]
        {
            culture.IsSpanish ? typeof(Microsoft.Recognizers.Definitions.Spanish.NumbersDefinitions) : typeof(Microsoft.Recognizers.Definitions.English.NumbersDefinitions),
            typeof(Microsoft.Recognizers.Definitions.BaseNumbers),
        };
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in types.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)))
        {
            if (field.GetValue(null) is not string pattern)
            {
                continue;
            }

            // Escapes (\s, \b, \d, \p{L}) and group names are not words.
            var plain = EscapeOrGroupName().Replace(pattern, " ");
            foreach (Match word in SpeltWord().Matches(plain))
            {
                words.UnionWith(Expand(word.Value));
            }
        }

        return [.. words];
    }

    private static IEnumerable<string> Expand(string word)
    {
        var open = word.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return [word];
        }

        var close = word.IndexOf(']', open);
        var head = word[..open];
        return word[(open + 1)..close].SelectMany(option => Expand(word[(close + 1)..]).Select(tail => head + option + tail));
    }

    [GeneratedRegex(@"\\[a-zA-Z](\{[^}]*\})?|\?<[a-zA-Z]+>")]
    private static partial Regex EscapeOrGroupName();

    [GeneratedRegex(@"[a-záéíóúñü]+(\[[a-záéíóúñü]+\][a-záéíóúñü]*)*|\[[a-záéíóúñü]+\][a-záéíóúñü]+")]
    private static partial Regex SpeltWord();

    /// <summary>Every line of dialogs/ (what the bot says, its example utterances) and of the understanding tests' held-out files.</summary>
    private static IEnumerable<string> RepositoryLines()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AriaBot.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        return new[] { Path.Combine(folder.FullName, "dialogs"), Path.Combine(folder.FullName, "tests", "AriaBot.Tests", "Understanding", "HeldOut") }
            .SelectMany(path => Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories))
            .Where(file => Path.GetExtension(file) is ".lu" or ".lg" or ".txt")
            .SelectMany(File.ReadLines)
            .Select(line => line.Trim().TrimStart('-', '#', '>').Trim())
            .Where(line => line.Length > 0)
            .Distinct(StringComparer.Ordinal);
    }
}
