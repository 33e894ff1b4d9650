using System.Diagnostics;
using System.Globalization;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Privacy;
using BotRuntime.Recognition;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Where an understood line spends its CPU and allocations, stage by stage (issue 22's profile), on a realistic mix
/// of en-US and es-ES lines against the sandbox's catalog. Nothing is compared with a budget (the machine is shared):
/// the test proves every stage was measured. A measurement sets ARIABOT_PERF_ROUNDS (default 2).
/// </summary>
public sealed class UnderstanderStageCostTests(ITestOutputHelper output)
{
    internal static readonly (string Text, string Locale)[] Mix =
    [
        ("hi", "en-US"), ("help", "en-US"), ("what can you do", "en-US"), ("switch me to premium", "en-US"),
        ("add 2 extra storage", "en-US"), ("pay $50 on friday", "en-US"), ("show my payments since March", "en-US"),
        ("I want to cancel priority support", "en-US"), ("what's my balance", "en-US"), ("what is the weather like", "en-US"),
        ("change my email to ada@example.com", "en-US"), ("order 3 usb headsets", "en-US"),
        ("hola", "es-ES"), ("cámbiame al plan Premium con 3 licencias", "es-ES"), ("quiero pagar mi saldo", "es-ES"),
        ("cancela el soporte prioritario", "es-ES"), ("¿cuánto debo?", "es-ES"), ("mis facturas desde marzo", "es-ES"),
        ("cuéntame un chiste", "es-ES"), ("pon el almacenamiento extra en 5", "es-ES"),
    ];

    [Fact]
    [Trait("Category", "Perf")]
    public void Every_stage_of_understanding_reports_cpu_and_bytes_per_line()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ARIABOT_PERF_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 2;
        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        var understander = new Understander(examples, TimeProvider.System);
        // Training without the process cache, timed per locale: what a start-up pays once (issue 22 asks for ≤ ~200 ms).
        var classifiers = new Dictionary<BotCulture, IntentClassifier>();
        foreach (var culture in BotCulture.Supported)
        {
            var (cpuBefore, wall) = (Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.StartNew());
            var lines = Understander.TrainingLines(examples, culture);
            var prepared = Process.GetCurrentProcess().TotalProcessorTime;
            classifiers[culture] = IntentClassifier.Train(lines, ClassifierSettings.Default);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"training {culture.Name}: {lines.Count} lines, placeholders {(prepared - cpuBefore).TotalMilliseconds:F0} ms CPU, training {(cpu - prepared).TotalMilliseconds:F0} ms CPU ({wall.ElapsedMilliseconds} ms wall)"));
        }

        var reference = DateTime.UnixEpoch.AddYears(56);
        var context = FastPathOracleTests.CatalogContext;
        var names = UnderstandingLines.Catalog.Select(i => i.NamesFor("en-US")).ToList();

        var stages = new (string Name, Func<string, string, int> Run)[]
        {
            ("whole Understand", (t, l) => (int)understander.Understand(t, l, context).Intent),
            ("redaction", (t, _) => SensitiveText.Redact(t, []).Findings.Count),
            ("normalise (label lookup)", (t, _) => IntentFeatures.Normalize(t).Length),
            ("catalog fuzzy match", (t, _) => FuzzyTokenMatcher.Match(t, names).Count),
            ("catalog sizes", (t, _) => CatalogSizes.In(t).Count),
            ("e-mail pass", (t, l) => EmailInput.FindAll(t, l).Count),
            ("phone pass", (t, l) => PhoneInput.FindAll(t, l).Count),
            ("date pass", (t, l) => DateTimeInput.FindAll(t, l, reference).Count),
            ("money pass (currency + number)", (t, l) => MoneyInput.FindAll(t, l, "USD").Count),
            ("number pass", (t, l) => NumberInput.FindAll(t, l).Count),
            ("tokenise", (t, _) => TextFolding.Tokenize(t).Count),
            ("featurise + classify", (t, l) => classifiers[BotCulture.Resolve(l)].Classify(t).Count),
            ("knows any word", (t, l) => classifiers[BotCulture.Resolve(l)].KnowsAnyWord(t) ? 1 : 0),
        };

        foreach (var (_, run) in stages)
        {
            foreach (var (text, locale) in Mix)
            {
                run(text, locale);
            }
        }

        output.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}; {Mix.Length} lines x {rounds} rounds");
        output.WriteLine($"{"stage",-34} {"µs CPU/line",12} {"bytes/line",12}");
        var measured = new List<(string, double, double)>();
        foreach (var (name, run) in stages)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (text, locale) in Mix)
                {
                    run(text, locale);
                }
            }

            var lines = (double)rounds * Mix.Length;
            var cpuPerLine = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / lines;
            var bytesPerLine = (GC.GetAllocatedBytesForCurrentThread() - bytes) / lines;
            measured.Add((name, cpuPerLine, bytesPerLine));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {cpuPerLine,12:F1} {bytesPerLine,12:F0}"));
        }

        Assert.All(measured, m => Assert.True(m.Item3 >= 0));
        Assert.True(measured[0].Item3 > 0, "the whole understanding allocated nothing: the counter was not read");
    }

    /// <summary>
    /// Same-run A/B of the date cue (<see cref="DateCue"/> against the broader cue before it, the understander's
    /// <c>BroadDateCue</c> switch): both read the mix, alternately, round after round, in one process; CPU (process
    /// time, so run this test alone) and bytes allocated on this thread per line. Answers are the same either way
    /// (the golden file).
    /// </summary>
    [Fact]
    [Trait("Category", "Perf")]
    public void Old_and_new_date_cues_are_measured_alternately_in_the_same_run()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ARIABOT_PERF_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 2;
        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        var context = FastPathOracleTests.CatalogContext;
        var paths = new (string Name, Understander Understander)[]
        {
            ("broad date cue (before)", new Understander(examples, TimeProvider.System) { BroadDateCue = true }),
            ("locale date cue (now)", new Understander(examples, TimeProvider.System)),
        };
        var totals = new (double Cpu, double Bytes)[paths.Length];
        const int warmUp = 3;
        for (var round = -warmUp; round < rounds; round++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var (cpu, bytes) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetAllocatedBytesForCurrentThread());
                foreach (var (text, locale) in Mix)
                {
                    paths[p].Understander.Understand(text, locale, context);
                }

                // The first rounds warm both up (JIT tiers, first use of each recognizer) and are not counted.
                if (round >= 0)
                {
                    totals[p].Cpu += (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
                    totals[p].Bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
                }
            }
        }

        var lines = (double)rounds * Mix.Length;
        output.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}; {Mix.Length} lines x {rounds} rounds, alternating");
        for (var p = 0; p < paths.Length; p++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{paths[p].Name}: {totals[p].Cpu / lines,8:F1} µs CPU/line {totals[p].Bytes / lines,10:F0} bytes/line"));
        }

        Assert.All(totals, t => Assert.True(t.Bytes > 0, "nothing allocated: the counter was not read"));
    }
}
