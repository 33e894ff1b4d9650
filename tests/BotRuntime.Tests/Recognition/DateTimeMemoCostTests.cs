using System.Diagnostics;
using System.Globalization;
using BotRuntime.Recognition;
using Microsoft.Recognizers.Text;
using Xunit.Abstractions;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;
using MsDateTimeOptions = Microsoft.Recognizers.Text.DateTime.DateTimeOptions;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// What keying Recognizers.Text's static result memo by culture (<see cref="DateTimeMemoKeys"/>) costs, and what turning
/// the memo off would have cost: same-run A/B/C of the date models as before (memo keyed without culture), as now
/// (keyed by culture) and with the memo off (<c>NoProtoCache</c>), alternately, round after round.
/// Two clocks: a moving one (each call a new reference time, as in the bot, where the memo can only help within one
/// call) and a fixed one (every round repeats the keys of the last, as a benchmark with a fake clock did, so the memo
/// answers whole extractions from memory). Nothing is compared with a budget; ARIABOT_PERF_ROUNDS sets the rounds.
/// CPU is process time: run this test alone.
/// </summary>
public sealed class DateTimeMemoCostTests(ITestOutputHelper output)
{
    private static readonly (string Text, string Culture)[] Lines =
    [
        ("pay $50 on friday", Culture.English), ("show my payments since March", Culture.English), ("tomorrow at 5pm", Culture.English),
        ("what happened last month", Culture.English), ("mis facturas desde marzo", Culture.Spanish),
        ("el próximo viernes a las 5", Culture.Spanish), ("pagar mañana", Culture.Spanish), ("hace 2 semanas", Culture.Spanish),
    ];

    [Fact]
    [Trait("Category", "Perf")]
    public void The_date_pass_with_and_without_the_librarys_memo_is_measured_alternately()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ARIABOT_PERF_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 2;
        var variants = new (string Name, Dictionary<string, MsDateTimeModel> Models)[]
        {
            ("memo without culture (before)", Models(MsDateTimeOptions.None, memoByCulture: false)),
            ("memo keyed by culture (now)", Models(MsDateTimeOptions.None, memoByCulture: true)),
            ("memo off (NoProtoCache)", Models(MsDateTimeOptions.NoProtoCache, memoByCulture: true)),
        };
        // A reference no other test uses, moved by one tick per call on the moving clock.
        var start = new DateTime(2032, 6, 1, 12, 0, 0, DateTimeKind.Unspecified);
        var ticks = 0L;
        foreach (var moving in new[] { true, false })
        {
            var totals = new (double Cpu, double Bytes, int Found)[variants.Length];
            const int warmUp = 3;
            for (var round = -warmUp; round < rounds; round++)
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    var (cpu, bytes, found) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetAllocatedBytesForCurrentThread(), 0);
                    foreach (var (text, culture) in Lines)
                    {
                        var reference = moving ? start.AddTicks(++ticks) : start.AddDays(-1 - v);
                        found += variants[v].Models[culture].Parse(text, reference).Count;
                    }

                    if (round >= 0)
                    {
                        totals[v] = (totals[v].Cpu + (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds,
                            totals[v].Bytes + GC.GetAllocatedBytesForCurrentThread() - bytes, totals[v].Found + found);
                    }
                }
            }

            var lines = (double)rounds * Lines.Length;
            output.WriteLine($"{(moving ? "moving clock (as the bot)" : "fixed clock (as a benchmark)")}; load: {File.ReadAllText("/proc/loadavg").Trim()}; {Lines.Length} lines x {rounds} rounds, alternating");
            for (var v = 0; v < variants.Length; v++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name}: {totals[v].Cpu / lines,8:F1} µs CPU/line {totals[v].Bytes / lines,10:F0} bytes/line"));
            }

            // Both read the same dates: a comparison of two different answers would mean nothing.
            Assert.All(totals, t => Assert.Equal(totals[0].Found, t.Found));
            Assert.True(totals[1].Found >= rounds * Lines.Length, "the lines were not read as dates");
        }
    }

    private static Dictionary<string, MsDateTimeModel> Models(MsDateTimeOptions options, bool memoByCulture) => new()
    {
        [Culture.English] = RecognizerModels.BuildDateTime(Culture.English, options, memoByCulture),
        [Culture.Spanish] = RecognizerModels.BuildDateTime(Culture.Spanish, options, memoByCulture),
    };
}
