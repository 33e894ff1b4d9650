using System.Text;
using System.Text.Json.Nodes;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 22: the understander's fast paths (skipped recognizer passes, spans instead of strings, prepared catalog
/// names, reused buffers) must answer exactly what the understander answered before them. The answers are pinned in
/// a golden file per locale (<c>Golden/Understanding.&lt;locale&gt;.jsonl</c>): every training and held-out line
/// without a catalog, and the entity, held-out and tricky lines with the sandbox's catalog — intent, scores, top
/// intents, suggestions, entities with spans and resolutions, catalog matches, privacy.
/// <para>
/// Regenerate it (only when an answer is MEANT to change: new training lines, settings, thresholds, a new recognizer)
/// with <c>ARIABOT_WRITE_GOLDEN=1 dotnet test tests/AriaBot.Tests -c Debug --no-build --filter
/// "FullyQualifiedName~FastPathOracleTests"</c>, which writes the files into the source tree, and review the diff.
/// </para>
/// </summary>
public sealed class FastPathOracleTests(ITestOutputHelper output)
{
    // Wednesday 25 November 2026, 10:00 UTC: dates resolve the same in every run.
    internal static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private static readonly Lazy<IntentExamples> Examples = new(() => IntentExamples.LoadValidated(DialogsFolder.DefaultPath));

    private static readonly Lazy<IWords> Words = new(() =>
        new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _))));

    internal static readonly UnderstandingContext CatalogContext = new() { Catalog = UnderstandingLines.Catalog, TimeZone = TimeZoneInfo.Utc };

    private const string Regenerate = "regenerate with ARIABOT_WRITE_GOLDEN=1 (see FastPathOracleTests) only if the change is meant";

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    [Theory]
    [MemberData(nameof(Locales))]
    public void Every_training_held_out_and_tricky_line_reads_as_the_golden_file_says(string locale)
    {
        var understander = new Understander(Examples.Value, Clock, new UnderstandingOptions(), Words.Value);
        var pinned = UnderstandingLines.Pinned(Examples.Value, BotCulture.Resolve(locale)).ToList();
        if (Environment.GetEnvironmentVariable("ARIABOT_WRITE_GOLDEN") == "1")
        {
            var lines = pinned.Select(p => GoldenAnswers.Line(p.Text, p.WithCatalog, Read(understander, p.Text, p.WithCatalog, locale)));
            File.WriteAllText(GoldenAnswers.SourcePath(locale), string.Join('\n', lines) + "\n", new UTF8Encoding(false));
            output.WriteLine($"wrote {pinned.Count} answers to {GoldenAnswers.SourcePath(locale)}");
            return;
        }

        var golden = Golden(locale);
        var differences = new List<string>();
        foreach (var (text, withCatalog) in pinned)
        {
            var answer = GoldenAnswers.Answer(Read(understander, text, withCatalog, locale), text);
            if (!golden.TryGetValue((text, withCatalog), out var expected))
            {
                differences.Add($"'{text}' (catalog: {withCatalog}) is not in the golden file");
            }
            else if (GoldenAnswers.Difference(expected, answer) is { } difference)
            {
                differences.Add($"'{text}' (catalog: {withCatalog}): {difference}");
            }
        }

        var stale = golden.Keys.Except(pinned).ToList();
        differences.AddRange(stale.Select(k => $"'{k.Text}' (catalog: {k.WithCatalog}) is in the golden file but no longer read"));
        output.WriteLine($"{locale}: {pinned.Count} lines compared, {differences.Count} differ");
        Assert.True(pinned.Count > 1000, "the training and held-out lines were not read");
        Assert.True(differences.Count == 0, $"{differences.Count} answers changed ({Regenerate}):{Environment.NewLine}{string.Join(Environment.NewLine, differences.Take(20))}");
    }

    [Fact]
    public void The_comparison_can_fail()
    {
        // Another temperature changes every score: the golden file must see it.
        var golden = Golden("en-US");
        var (key, expected) = golden.First(g => !g.Key.WithCatalog);
        var hotter = new Understander(Examples.Value, Clock, new UnderstandingOptions { Temperature = 0.5 }, Words.Value);
        Assert.NotNull(GoldenAnswers.Difference(expected, GoldenAnswers.Answer(Read(hotter, key.Text, false, "en-US"), key.Text)));

        // And an entity one character off.
        var dated = golden.First(g => g.Value["Dates"] is not null);
        var moved = dated.Value.DeepClone();
        moved["Dates"]![0]!["Start"] = moved["Dates"]![0]!["Start"]!.GetValue<int>() + 1;
        Assert.NotNull(GoldenAnswers.Difference(dated.Value, moved));
        Assert.Null(GoldenAnswers.Difference(dated.Value, dated.Value.DeepClone()));
    }

    private static UnderstandingResult Read(Understander understander, string text, bool withCatalog, string locale) =>
        understander.Understand(text, locale, withCatalog ? CatalogContext : UnderstandingContext.Empty);

    private static Dictionary<(string Text, bool WithCatalog), JsonNode> Golden(string locale)
    {
        var path = GoldenAnswers.OutputPath(locale);
        Assert.True(File.Exists(path), $"{path} is missing ({Regenerate})");
        var golden = new Dictionary<(string, bool), JsonNode>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var node = JsonNode.Parse(line)!;
            golden[(node["line"]!.GetValue<string>(), node["catalog"]!.GetValue<bool>())] = node["answer"]!;
        }

        return golden;
    }
}
