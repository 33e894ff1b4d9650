using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AriaBot.Tests.Speed;

/// <summary>
/// The per-stage table of an unsigned turn (issue 22): over <c>/api/messages</c> and over Direct Line, CPU µs and bytes
/// per turn of each middleware, the bot, the Understander and the store, each exclusive of the others
/// (<see cref="StageMeter"/>), and what is left outside them (HTTP, the runtime's turn processing, Direct Line's log and
/// the client's read, the in-process test client). Nothing is compared with a budget: the test proves the table is
/// whole — every stage a turn passes through was seen once per turn and the stages add up to no more than the turn.
/// A measurement sets <c>ARIABOT_PERF_ROUNDS</c> and <c>ARIABOT_PERF_PER_ROUND</c>. On Direct Line the post's request and
/// the queued turn run at the same time (the post waits for the turn), so a stage there is also charged with what the
/// other side did meanwhile: read its split as a rough one, its total as exact.
/// </summary>
public sealed class TurnStageProfileTests(ITestOutputHelper output)
{
    private static readonly string[] Texts = ["hi", "help", "what can you do?"];

    [Fact]
    [Trait("Category", "Perf")]
    public async Task Every_stage_of_an_unsigned_turn_reports_its_own_cpu_and_bytes()
    {
        await using var harness = new TurnCostHarness(services => services.AddStageMeter());
        var meter = harness.Host.Services.GetRequiredService<StageMeter>();
        var profile = new TurnProfile(harness);
        await profile.StartDirectLineAsync();
        (string Name, Func<string, Task> Turn)[] ingresses =
        [
            ("/api/messages", text => harness.TurnAsync($"stages-{Guid.NewGuid():N}", text)),
            ("Direct Line", profile.DirectLineTurnAsync),
        ];
        foreach (var (_, turn) in ingresses)
        {
            foreach (var text in Texts)
            {
                await turn(text);
            }
        }

        var rounds = TurnCostHarness.Setting("ARIABOT_PERF_ROUNDS", 2);
        var perRound = TurnCostHarness.Setting("ARIABOT_PERF_PER_ROUND", 3);
        var totals = ingresses.ToDictionary(i => i.Name, _ => (Turns: 0, Cpu: 0.0, Bytes: 0L, Stages: new Dictionary<string, (long Calls, double Cpu, long Bytes)>()));
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, turn) in ingresses)
            {
                meter.Enabled = true;
                meter.Take();
                var cpu = Environment.CpuUsage.TotalTime.TotalMicroseconds;
                var bytes = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < perRound; i++)
                {
                    foreach (var text in Texts)
                    {
                        await turn(text);
                    }
                }
                var spentCpu = Environment.CpuUsage.TotalTime.TotalMicroseconds - cpu;
                var spentBytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
                meter.Enabled = false;
                var so = totals[name];
                foreach (var (stage, value) in meter.Take())
                {
                    var had = so.Stages.GetValueOrDefault(stage);
                    so.Stages[stage] = (had.Calls + value.Calls, had.Cpu + value.Cpu, had.Bytes + value.Bytes);
                }
                totals[name] = (so.Turns + perRound * Texts.Length, so.Cpu + spentCpu, so.Bytes + spentBytes, so.Stages);
            }
        }

        var lines = new List<string> { $"{"stage",-58} {"calls/turn",10} {"CPU µs/turn",12} {"KB/turn",9}" };
        foreach (var (name, total) in totals)
        {
            lines.Add($"-- {name}: {total.Turns} turns, {total.Cpu / total.Turns:F0} µs CPU and {total.Bytes / 1024.0 / total.Turns:F1} KB per turn in all");
            foreach (var (stage, value) in total.Stages.OrderByDescending(s => s.Value.Cpu))
            {
                lines.Add($"{stage,-58} {(double)value.Calls / total.Turns,10:F2} {value.Cpu / total.Turns,12:F0} {value.Bytes / 1024.0 / total.Turns,9:F1}");
            }
            lines.Add($"{"outside the stages (HTTP, runtime, ingress, test client)",-58} {"",10} {(total.Cpu - total.Stages.Values.Sum(v => v.Cpu)) / total.Turns,12:F0} {(total.Bytes - total.Stages.Values.Sum(v => v.Bytes)) / 1024.0 / total.Turns,9:F1}");
        }
        TurnCostHarness.Report(output, lines);

        foreach (var (name, total) in totals)
        {
            // Each turn went through the bot once and read the store; a new conversation's first message is understood (on
            // Direct Line's one long conversation, "help" is a global command and the menu's answer is a prompt's).
            Assert.Equal(total.Turns, total.Stages["bot (dialogs, words, cards)"].Calls);
            Assert.True(total.Stages["understander"].Calls >= total.Turns / Texts.Length, $"{name}: the Understander was not measured");
            Assert.True(total.Stages["store read"].Calls >= total.Turns, $"{name}: fewer store reads than turns");
            Assert.All(total.Stages.Where(s => s.Key.StartsWith("middleware ", StringComparison.Ordinal)), s => Assert.Equal(total.Turns, s.Value.Calls));
            // Exclusive figures: the stages cannot hold more than the whole turns allocated.
            Assert.True(total.Stages.Values.Sum(v => v.Bytes) <= total.Bytes, $"{name}: the stages add up to more than the turns");
        }
    }
}
