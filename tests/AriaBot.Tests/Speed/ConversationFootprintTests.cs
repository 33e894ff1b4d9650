using Xunit.Abstractions;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What one-turn conversations leave in the state store (the bench's RSS run is 10,000 of them): printed per kind of
/// row, per conversation, so a change to what is kept shows up in the output.
/// </summary>
public sealed class ConversationFootprintTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Perf")]
    public async Task One_turn_conversations_keep_their_state_and_report_what_else_is_stored()
    {
        await using var harness = new TurnCostHarness();
        var conversations = TurnCostHarness.Setting("ARIABOT_PERF_CONVERSATIONS", 40);
        var before = await ConversationFootprint.InventoryAsync(harness.Host.Storage);
        List<string> ids = [];
        for (var i = 0; i < conversations; i++)
        {
            var id = $"footprint-{i}";
            ids.Add(id);
            await harness.TurnAsync(id, "hi");
        }
        var after = await ConversationFootprint.InventoryAsync(harness.Host.Storage);

        var lines = after.Select(kind =>
        {
            var earlier = before.FirstOrDefault(b => b.Name == kind.Name) ?? new ConversationFootprint.Kind(kind.Name, 0, 0, 0);
            return $"{kind.Name,-28} per conversation: rows {(kind.Rows - earlier.Rows) / (double)conversations,5:F2}  bytes {(kind.KeyBytes + kind.DocumentBytes - earlier.KeyBytes - earlier.DocumentBytes) / (double)conversations,8:F0}";
        }).ToList();
        // The process's memory as the bench reads it (resident set) and the GC's own view, for the GC settings' A/B
        // (run the test under DOTNET_gcServer / DOTNET_GCConserveMemory / DOTNET_GCDynamicAdaptationMode variants).
        using (var process = System.Diagnostics.Process.GetCurrentProcess())
        {
            var gc = GC.GetGCMemoryInfo();
            lines.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"memory after {conversations} conversations: rss {process.WorkingSet64 / 1048576.0:F0} MB  gc heap {gc.HeapSizeBytes / 1048576.0:F0} MB  committed {gc.TotalCommittedBytes / 1048576.0:F0} MB  server gc {System.Runtime.GCSettings.IsServerGC}"));
        }
        TurnCostHarness.Report(output, lines);
        if (Environment.GetEnvironmentVariable("ARIABOT_PERF_SHOW_ROWS") is { Length: > 0 })
        {
            // One conversation's rows as stored, to see what a kind of row is made of.
            foreach (var row in await harness.Host.Storage.ReadPrefixAsync("", int.MaxValue))
            {
                if (row.Key.Contains(ids[0], StringComparison.Ordinal))
                {
                    output.WriteLine($"{row.Key}\n  {row.Value.Document.GetRawText()}");
                }
            }
        }

        // Whatever is trimmed, each conversation's own state (its dialog stack, where it stands) is still there.
        var keys = (await harness.Host.Storage.ReadPrefixAsync("", int.MaxValue)).Select(row => row.Key).ToList();
        Assert.All(ids, id => Assert.Contains(keys, key => key.Contains($"/conversations/{id}", StringComparison.Ordinal)));
    }
}
