using System.Diagnostics;
using System.Globalization;
using BotRuntime.Recognition;
using Xunit.Abstractions;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// What <see cref="NumberCue"/> saves: same-run A/B of the number pass as before (the model run on every line) and as now
/// (<see cref="NumberInput.FindAll"/>, the cue first), alternately, round after round, on lines without a number (the
/// bench's unsigned turns and chat without numbers in both cultures). Each call gets its own text (a made-up word of
/// letters no number word starts with is appended): the library memoises extractions by text, and a repeated line
/// would be answered from that memo, as no customer's new line is. Nothing is compared with a budget;
/// ARIABOT_PERF_ROUNDS sets the rounds. CPU is process time: run this test alone.
/// </summary>
public sealed class NumberCueCostTests(ITestOutputHelper output)
{
    private static readonly (string Text, string Locale)[] Lines =
    [
        ("hi", "en-US"), ("help", "en-US"), ("what can you do?", "en-US"), ("what's my balance", "en-US"),
        ("I want to talk to someone about my invoice", "en-US"), ("cancle my suscription", "en-US"),
        ("hola", "es-ES"), ("quiero pagar mi saldo", "es-ES"), ("cancela el soporte prioritario", "es-ES"), ("¿cuánto debo?", "es-ES"),
    ];

    [Fact]
    [Trait("Category", "Perf")]
    public void The_number_pass_with_and_without_the_cue_is_measured_alternately()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ARIABOT_PERF_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 2;
        var variants = new (string Name, Func<string, string, int> Run)[]
        {
            ("model on every line (before)", (t, l) => RecognizerModels.Number(BotCulture.Resolve(l)).Parse(t).Count),
            ("cue first (now)", (t, l) => NumberInput.FindAll(t, l).Count),
        };
        var totals = new (double Cpu, double Bytes)[variants.Length];
        const int warmUp = 3;
        var call = 0;
        const int repeats = 20;
        for (var round = -warmUp; round < rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var (cpu, bytes) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetAllocatedBytesForCurrentThread());
                for (var i = 0; i < repeats; i++)
                {
                    foreach (var (text, locale) in Lines)
                    {
                        Assert.Equal(0, variants[v].Run($"{text} {Unique(ref call)}", locale));
                    }
                }

                if (round >= 0)
                {
                    totals[v].Cpu += (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
                    totals[v].Bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
                }
            }
        }

        var lines = (double)rounds * repeats * Lines.Length;
        output.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}; {Lines.Length} lines x {repeats} x {rounds} rounds, alternating");
        for (var v = 0; v < variants.Length; v++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variants[v].Name}: {totals[v].Cpu / lines,8:F1} µs CPU/line {totals[v].Bytes / lines,8:F0} bytes/line"));
        }

        Assert.True(totals[0].Bytes > 0, "nothing allocated: the counter was not read");
    }

    // Letters no English or Spanish number word starts with: the made-up word never sends a line to the model itself.
    private static string Unique(ref int call)
    {
        const string Letters = "xjkw";
        var chars = new char[8];
        var n = call++;
        for (var i = 0; i < chars.Length; i++, n /= Letters.Length)
        {
            chars[i] = Letters[n % Letters.Length];
        }

        return new string(chars);
    }
}
