using System.Globalization;
using System.Text;
using AriaBot.Catalog;
using AriaBot.Understanding;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 23, step 6: on the held-out entity lines (<c>HeldOut/Entities.&lt;locale&gt;.txt</c>), the plan or item and
/// the count the understander extracts with the sandbox's catalog as the bot sees it (visible plans and items, the
/// per-locale synonyms of <c>Catalog:Synonyms</c>, sizes from names and descriptions). Prints every miss; requires
/// at least 95 % of the lines right in both respects, per locale.
/// </summary>
public sealed class EntityMeasurementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const double Required = 0.95;

    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    private static IReadOnlyList<(string Text, string? Id, int? Count)> Lines(string locale) =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Understanding", "HeldOut", $"Entities.{locale}.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(parts => (parts[0], parts[1] == "-" ? null : parts[1], parts[2] == "-" ? (int?)null : int.Parse(parts[2], CultureInfo.InvariantCulture)))];

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task Plan_item_and_count_are_right_in_at_least_95_percent_of_the_entity_lines(string locale)
    {
        var understander = _host.Services.GetRequiredService<IUnderstander>();
        var catalog = await _host.Services.GetRequiredService<IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        Assert.NotEmpty(catalog);
        var lines = Lines(locale);
        var report = new StringBuilder();
        var rightItem = 0;
        var rightCount = 0;
        var right = 0;
        foreach (var (text, id, count) in lines)
        {
            var result = understander.Understand(text, locale, new UnderstandingContext { Catalog = catalog });
            var gotId = result.NamedItem?.Item.Id;
            var gotCount = result.Entities.Quantity;
            var itemOk = string.Equals(gotId, id, StringComparison.Ordinal);
            var countOk = gotCount == count;
            rightItem += itemOk ? 1 : 0;
            rightCount += countOk ? 1 : 0;
            right += itemOk && countOk ? 1 : 0;
            if (!itemOk || !countOk)
            {
                var candidates = string.Join(", ", result.CatalogMatches.Select(m => $"{m.Item.Id} {m.Score:F2}"));
                report.AppendLine(CultureInfo.InvariantCulture, $"  miss: \"{text}\" expected {id ?? "-"} × {count?.ToString(CultureInfo.InvariantCulture) ?? "-"}, got {gotId ?? "-"} × {gotCount?.ToString(CultureInfo.InvariantCulture) ?? "-"} (matches: {candidates})");
            }
        }

        var share = (double)right / lines.Count;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Entity lines, {locale}: {right}/{lines.Count} right ({100 * share:F1} %); plan/item {rightItem}, count {rightCount}\n{report}");
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(share >= Required, summary);
    }
}
