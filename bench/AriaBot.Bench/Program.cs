using System.Diagnostics;
using System.Globalization;
using BotRuntime.Recognition;
using MsDateTimeRecognizer = Microsoft.Recognizers.Text.DateTime.DateTimeRecognizer;
using MsNumberRecognizer = Microsoft.Recognizers.Text.Number.NumberRecognizer;

// bench/run.sh drives this (bench/README.md says what each command measures): "aria" loads a running AriaBot with
// closed-loop users over /api/messages (expectReplies) or Direct Line and checks every reply; "peer-*" and "serve-*" are
// the waterfall against the JS peer and the bare echo; "startup" and "rss" time a bot's start and weigh it after many
// conversations; "recognition" compares the library's per-call static helpers with the shared models.
return args.FirstOrDefault() switch
{
    "http" => await AriaRuns.RunAsync(Options.Parse(args.Skip(1).Append("--flow").Append("unsigned"))),
    "aria" => await AriaRuns.RunAsync(Options.Parse(args.Skip(1))),
    "seed" => AriaRuns.WriteSeed(Options.Parse(args.Skip(1))),
    "startup" => await Lifetime.StartupAsync(Options.Parse(args.Skip(1))),
    "rss" => await Lifetime.RssAsync(Options.Parse(args.Skip(1))),
    "recognition" => Recognition.Run(Options.Parse(args.Skip(1))),
    "peer-inproc" => await Peer.InProcessAsync(Options.Parse(args.Skip(1))),
    "peer-http" => await Peer.HttpAsync(Options.Parse(args.Skip(1))),
    "serve-waterfall" => await Peer.ServeWaterfallAsync(Options.Parse(args.Skip(1))),
    "serve-echo" => await Peer.ServeEchoAsync(Options.Parse(args.Skip(1))),
    "store-ab" => await StoreAb.RunAsync(Options.Parse(args.Skip(1))),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AriaBot.Bench aria --url http://127.0.0.1:5180 --flow unsigned|planswitch|payment --ingress messages|directline");
    Console.Error.WriteLine("         [--users 16 --seconds 20 --warmup 5 --label memory --pid N --probe SOCKET --sandbox URL --secret S --first-account 0]");
    Console.Error.WriteLine("       AriaBot.Bench seed --out bench-seed.json --accounts 400");
    Console.Error.WriteLine("       AriaBot.Bench startup --dll AriaBot.dll --content-root src/AriaBot --port 5180 --runs 5");
    Console.Error.WriteLine("       AriaBot.Bench rss --url http://127.0.0.1:5180 --pid N --conversations 10000");
    Console.Error.WriteLine("       AriaBot.Bench recognition --seconds 5");
    Console.Error.WriteLine("       AriaBot.Bench peer-inproc --concurrency 1|50 --seconds 10   (the waterfall under our TestAdapter)");
    Console.Error.WriteLine("       AriaBot.Bench serve-waterfall --port 5191 [--bot waterfall|echo] [--store memory|sqlite|postgres --sqlite-path F --postgres CS] | serve-echo --port 5192");
    Console.Error.WriteLine("       AriaBot.Bench store-ab --users 16 --seconds 3 --rounds 3   (SQLite state: the store before the single writer vs now)");
    Console.Error.WriteLine("       AriaBot.Bench peer-http --url http://127.0.0.1:5191 --users 16 --script waterfall|echo --label runtime");
    return 2;
}

internal sealed record Options(Dictionary<string, string> Values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            values[list[i].TrimStart('-')] = list[i + 1];
        }
        return new Options(values);
    }

    public string Get(string name, string fallback) => Values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}

internal static class Report
{
    public static string Percentiles(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return "p50 - p95 - p99 -";
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {Quantile(milliseconds, 0.50),6:F1}  p95 {Quantile(milliseconds, 0.95),6:F1}  p99 {Quantile(milliseconds, 0.99),6:F1} ms");
    }

    /// <summary>The nearest-rank quantile (sorts the list in place); NaN for no values.</summary>
    public static double Quantile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1)];
    }
}

/// <summary>
/// The hot path the issue measured at 35 % of a waterfall turn: date (and number) recognition. "per call" is what
/// the inputs did before (the library's static helpers build a recognizer each time); "shared" is what they do now.
/// Both answers are compared so the faster one cannot be the wrong one.
/// </summary>
internal static class Recognition
{
    private static readonly DateTime Reference = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Unspecified);

    public static int Run(Options options)
    {
        var seconds = options.Int("seconds", 5);
        var perCall = Measure(seconds, text =>
            MsDateTimeRecognizer.RecognizeDateTime(text, "en-us", Microsoft.Recognizers.Text.DateTime.DateTimeOptions.None, Reference).Count
            + MsNumberRecognizer.RecognizeNumber(text, "en-us").Count);
        var shared = Measure(seconds, text =>
            DateTimeInput.FindAll(text, "en-US", Reference).Count + NumberInput.FindAll(text, "en-US").Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recognition (date + number, en-US): per call {perCall.Rate,8:F0}/s   shared models {shared.Rate,8:F0}/s   ({shared.Rate / perCall.Rate:F1}x)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated per call: per call {perCall.BytesPerCall / 1024:F0} KB   shared {shared.BytesPerCall / 1024:F0} KB"));
        return perCall.Matches == shared.Matches ? 0 : 1;
    }

    private static readonly string[] Texts = ["next friday", "3 seats", "tomorrow at 5pm", "in two weeks", "the 3rd of March"];

    private static (double Rate, double BytesPerCall, long Matches) Measure(int seconds, Func<string, int> recognize)
    {
        recognize(Texts[0]); // the culture's first build is start-up, not the steady state
        long calls = 0, matches = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            foreach (var text in Texts)
            {
                matches += recognize(text);
                calls++;
            }
        }
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        // Matches per pass, so both sides compare the same answers whatever their call counts.
        return (calls / clock.Elapsed.TotalSeconds, (double)bytes / calls, matches * Texts.Length / calls);
    }
}
