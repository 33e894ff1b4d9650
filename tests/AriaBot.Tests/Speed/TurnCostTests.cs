using Xunit.Abstractions;

namespace AriaBot.Tests.Speed;

/// <summary>
/// Runs <see cref="TurnCostHarness"/>: warms up, then reports CPU and bytes per unsigned turn ("hi", "help", free
/// text). Nothing here is timed or compared with a budget (the machine is shared); the test proves the harness
/// works end to end: every turn was answered with a message and both figures were actually measured.
/// </summary>
public sealed class TurnCostTests(ITestOutputHelper output)
{
    private static readonly string[] Texts = ["hi", "help", "what can you do"];

    [Fact]
    [Trait("Category", "Perf")]
    public async Task Unsigned_turns_report_cpu_and_allocations_per_turn()
    {
        await using var harness = new TurnCostHarness();
        await harness.RunAsync(Texts, TurnCostHarness.Setting("ARIABOT_PERF_WARMUP", 30));

        // The defaults keep the suite quick and only prove the harness works; a measurement sets
        // ARIABOT_PERF_WARMUP=500 ARIABOT_PERF_TURNS=1000 (README, "Measuring what one turn costs").
        var turns = TurnCostHarness.Setting("ARIABOT_PERF_TURNS", 20);
        var costs = new List<TurnCostHarness.Cost>();
        foreach (var text in Texts)
        {
            costs.Add(await harness.MeasureAsync(text, turns));
        }
        TurnCostHarness.Report(output, costs);

        Assert.All(costs, cost =>
        {
            Assert.Equal(turns, cost.Turns);
            // A turn that answers over HTTP allocates and burns CPU: zero would mean the counters were not read.
            Assert.True(cost.BytesPerTurn > 0, $"no allocations reported for '{cost.Text}'");
            Assert.True(cost.CpuMicrosecondsPerTurn > 0, $"no CPU reported for '{cost.Text}'");
        });
    }
}
