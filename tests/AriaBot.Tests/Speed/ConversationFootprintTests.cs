using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
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
        lines.AddRange(await StoreWeightAsync(harness.Host.Storage, conversations));
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

        // Nothing per conversation stays in the process's turn queue once its turns are over.
        Assert.Equal(0, harness.Host.Services.GetRequiredService<BotRuntime.Hosting.ConversationLocks>().ActiveConversations);

        // Whatever is trimmed, each conversation's own state (its dialog stack, where it stands) is still there.
        var keys = (await harness.Host.Storage.ReadPrefixAsync("", int.MaxValue)).Select(row => row.Key).ToList();
        Assert.All(ids, id => Assert.Contains(keys, key => key.Contains($"/conversations/{id}", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Same-run comparison of what the memory store itself holds for these rows: the live heap taken by the same rows
    /// (copied from the host's store, so the new row shapes in both) in today's <see cref="MemoryStorage"/> and in the
    /// previous representation (<see cref="PreviousMemoryStorage"/>), each row written once (so the old queue's growth
    /// on rewrites, one element per turn, is not in the figure).
    /// </summary>
    private static async Task<IEnumerable<string>> StoreWeightAsync(IStorage source, int conversations)
    {
        var rows = (await source.ReadPrefixAsync("", int.MaxValue)).Select(row => new KeyValuePair<string, StoreWrite>(
            new string(row.Key.AsSpan()), new StoreWrite(row.Value.Document, StoreWrite.AnyETag, row.Value.ExpiresAt))).ToList();
        var previous = Weigh(() =>
        {
            var store = new PreviousMemoryStorage();
            rows.ForEach(row => store.Write(row.Key, row.Value));
            return store;
        });
        var current = Weigh(() =>
        {
            var store = new MemoryStorage();
            foreach (var row in rows)
            {
                store.WriteAsync(new Dictionary<string, StoreWrite> { [row.Key] = row.Value }).GetAwaiter().GetResult();
            }
            return store;
        });
        return [string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"memory store, same rows ({rows.Count}): previous {previous / (double)conversations,8:F0} B/conversation  now {current / (double)conversations,8:F0} B/conversation")];
    }

    // The live heap the object made by build keeps, measured with full collections on either side.
    private static long Weigh(Func<object> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var made = build();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(made);
        return after - before;
    }
}
