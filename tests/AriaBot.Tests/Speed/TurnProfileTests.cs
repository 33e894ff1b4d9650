using Xunit.Abstractions;

namespace AriaBot.Tests.Speed;

/// <summary>
/// Runs <see cref="TurnProfile"/>: the unsigned turn over /api/messages and over Direct Line, and the Understander
/// alone, interleaved in one process. Nothing is compared with a budget; the test proves each stage was really run
/// (every turn answered, both counters read), so the table in the output can be trusted. A measurement sets
/// <c>ARIABOT_PERF_ROUNDS</c> and <c>ARIABOT_PERF_PER_ROUND</c> (README, "Measuring what one turn costs").
/// </summary>
public sealed class TurnProfileTests(ITestOutputHelper output)
{
    private static readonly string[] Texts = ["hi", "help", "what can you do"];

    [Fact]
    [Trait("Category", "Perf")]
    public async Task Profile_shows_the_understanders_share_apart_from_the_rest_of_the_turn()
    {
        await using var harness = new TurnCostHarness();
        var profile = new TurnProfile(harness);
        await profile.StartDirectLineAsync();
        // Warm-up: the first turns pay for JIT and the first understanding, which is not what a turn costs.
        await profile.MeasureAsync(Texts, rounds: 1, perRound: TurnCostHarness.Setting("ARIABOT_PERF_WARMUP", 5));

        var stages = await profile.MeasureAsync(Texts, TurnCostHarness.Setting("ARIABOT_PERF_ROUNDS", 2), TurnCostHarness.Setting("ARIABOT_PERF_PER_ROUND", 5));
        TurnCostHarness.Report(output, stages.Select(stage => stage.ToString()));

        Assert.Equal(3 * Texts.Length, stages.Count);
        Assert.All(stages, stage =>
        {
            Assert.True(stage.Bytes > 0, $"no allocations reported for {stage}");
            Assert.True(stage.CpuMicroseconds > 0, $"no CPU reported for {stage}");
        });
    }
}
