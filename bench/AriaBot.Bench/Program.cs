using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Recognition;
using MsDateTimeRecognizer = Microsoft.Recognizers.Text.DateTime.DateTimeRecognizer;
using MsNumberRecognizer = Microsoft.Recognizers.Text.Number.NumberRecognizer;

// bench/run.sh drives this: "http" loads a running bot over /api/messages (expectReplies) with closed-loop users and
// checks every reply; "recognition" compares the library's per-call static helpers with the shared models.
return args.FirstOrDefault() switch
{
    "http" => await Http.RunAsync(Options.Parse(args.Skip(1))),
    "recognition" => Recognition.Run(Options.Parse(args.Skip(1))),
    "peer-inproc" => await Peer.InProcessAsync(Options.Parse(args.Skip(1))),
    "peer-http" => await Peer.HttpAsync(Options.Parse(args.Skip(1))),
    "serve-waterfall" => await Peer.ServeWaterfallAsync(Options.Parse(args.Skip(1))),
    "serve-echo" => await Peer.ServeEchoAsync(Options.Parse(args.Skip(1))),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AriaBot.Bench http --url http://127.0.0.1:5180 --users 16 --seconds 20 --label memory");
    Console.Error.WriteLine("       AriaBot.Bench recognition --seconds 5");
    Console.Error.WriteLine("       AriaBot.Bench peer-inproc --concurrency 1|50 --seconds 10   (the waterfall under our TestAdapter)");
    Console.Error.WriteLine("       AriaBot.Bench serve-waterfall --port 5191 | serve-echo --port 5192");
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
        milliseconds.Sort();
        double At(double q) => milliseconds[Math.Min(milliseconds.Count - 1, (int)Math.Ceiling(q * milliseconds.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):F1} ms  p95 {At(0.95):F1} ms  p99 {At(0.99):F1} ms");
    }
}

/// <summary>
/// Closed loop: each user sends a turn, waits for and checks the reply, then sends the next, for a warm-up and then
/// the measured window. A reply that is not a 200 with at least one message that says something is an error, and
/// errors are counted and printed, so an error can never look fast.
/// </summary>
internal static class Http
{
    // Turns that need no sign-in and no Aria call (the "AriaBot unsigned turns").
    private static readonly string[] Texts = ["hi", "help", "what can you do?"];

    public static async Task<int> RunAsync(Options options)
    {
        var url = new Uri(new Uri(options.Get("url", "http://127.0.0.1:5180")), "/api/messages");
        var users = options.Int("users", 16);
        var warmup = TimeSpan.FromSeconds(options.Int("warmup", 5));
        var window = TimeSpan.FromSeconds(options.Int("seconds", 20));
        var label = options.Get("label", "bot");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
        var run = Guid.NewGuid().ToString("N")[..8];

        var clock = Stopwatch.StartNew();
        var measuredFrom = warmup;
        var measuredTo = warmup + window;
        var latencies = new List<double>[users];
        var errors = new int[users];
        var firstError = new string?[users];
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            latencies[user] = [];
            for (var turn = 0; clock.Elapsed < measuredTo; turn++)
            {
                var body = new JsonObject
                {
                    ["type"] = "message",
                    ["id"] = $"{run}-{user}-{turn}",
                    ["channelId"] = "test",
                    ["text"] = Texts[turn % Texts.Length],
                    ["locale"] = "en-US",
                    ["conversation"] = new JsonObject { ["id"] = $"bench-{run}-{user}" },
                    ["from"] = new JsonObject { ["id"] = $"user-{run}-{user}" },
                    ["recipient"] = new JsonObject { ["id"] = "bot" },
                    ["deliveryMode"] = "expectReplies",
                };
                var started = clock.Elapsed;
                var problem = await SendAsync(client, url, body).ConfigureAwait(false);
                var ended = clock.Elapsed;
                if (started < measuredFrom || ended > measuredTo)
                {
                    continue;
                }
                if (problem is null)
                {
                    latencies[user].Add((ended - started).TotalMilliseconds);
                }
                else
                {
                    errors[user]++;
                    firstError[user] ??= problem;
                }
            }
        }))).ConfigureAwait(false);

        var all = latencies.SelectMany(list => list).ToList();
        var errorCount = errors.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-10} V={users,-3} {all.Count / window.TotalSeconds,8:F0} turns/s  {Report.Percentiles(all)}  errors {errorCount}"));
        foreach (var problem in firstError.Where(problem => problem is not null).Distinct().Take(3))
        {
            Console.WriteLine($"  error: {problem}");
        }
        return errorCount == 0 && all.Count > 0 ? 0 : 1;
    }

    private static async Task<string?> SendAsync(HttpClient client, Uri url, JsonObject body)
    {
        try
        {
            using var response = await client.PostAsJsonAsync(url, body).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return $"HTTP {(int)response.StatusCode}";
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var says = document.RootElement.TryGetProperty("activities", out var activities)
                && activities.EnumerateArray().Any(activity =>
                    activity.TryGetProperty("type", out var type) && type.GetString() == "message"
                    && ((activity.TryGetProperty("text", out var text) && !string.IsNullOrWhiteSpace(text.GetString()))
                        || (activity.TryGetProperty("attachments", out var attachments) && attachments.GetArrayLength() > 0)));
            return says ? null : "a reply without a message";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return exception.GetType().Name + ": " + exception.Message;
        }
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
