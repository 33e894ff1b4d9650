using System.Diagnostics;
using System.Globalization;

/// <summary>How fast a bot starts answering, and how much memory it holds after many conversations.</summary>
internal static class Lifetime
{
    /// <summary>
    /// Process start to the first answered turn: the bot is started (environment inherited from run.sh), "hi" is
    /// posted with expectReplies every 10 ms until a reply says something, then the process is stopped; several runs,
    /// the median printed. Connection refusals before Kestrel listens are expected and retried; a wrong answer fails.
    /// </summary>
    public static async Task<int> StartupAsync(Options options)
    {
        var port = options.Int("port", 5180);
        var url = new Uri($"http://127.0.0.1:{port}");
        var runs = options.Int("runs", 5);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(options.Get("dll", "src/AriaBot/bin/Release/net10.0/AriaBot.dll"));
            start.ArgumentList.Add("--contentRoot");
            start.ArgumentList.Add(options.Get("content-root", "src/AriaBot"));
            start.Environment["ASPNETCORE_URLS"] = url.ToString();
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new BenchException("could not start the bot");
            // Drained so a chatty start-up cannot block on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var chat = new ExpectRepliesChat(client, url, $"startup-{Guid.NewGuid():N}", "startup-user");
                while (true)
                {
                    if (process.HasExited)
                    {
                        Console.WriteLine($"startup: the bot exited with {process.ExitCode} before answering");
                        return 1;
                    }
                    if (clock.Elapsed > TimeSpan.FromSeconds(60))
                    {
                        Console.WriteLine("startup: no answer within 60 s");
                        return 1;
                    }
                    try
                    {
                        var replies = await chat.SayAsync("hi", CancellationToken.None).ConfigureAwait(false);
                        if (!replies.Any(reply => reply.Type == "message"))
                        {
                            Console.WriteLine($"startup: the first answer has no message: {Reply.Show(replies)}");
                            return 1;
                        }
                        break;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(10).ConfigureAwait(false);
                    }
                }
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        var median = Report.Quantile(times, 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up to first answered turn: median {median:F0} ms over {runs} runs ({string.Join(", ", times.Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture)))} ms)"));
        Results.Append(options, "startup", runs, median);
        return 0;
    }

    /// <summary>
    /// Resident memory of a running bot (--pid) after --conversations conversations of one "hi" each (a greeting
    /// answered, state and delivery records written), sent by --users closed-loop users; every reply checked.
    /// </summary>
    public static async Task<int> RssAsync(Options options)
    {
        var url = new Uri(options.Get("url", "http://127.0.0.1:5180"));
        var conversations = options.Int("conversations", 10_000);
        var users = options.Int("users", 16);
        var before = await ServerSample.TakeAsync(options).ConfigureAwait(false) ?? throw new BenchException("rss needs --pid");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
        var run = Guid.NewGuid().ToString("N")[..8];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(_ => Task.Run(async () =>
        {
            int conversation;
            while ((conversation = Interlocked.Increment(ref next)) < conversations)
            {
                try
                {
                    var replies = await new ExpectRepliesChat(client, url, $"rss-{run}-{conversation}", $"rss-user-{run}-{conversation}")
                        .SayAsync("hi", CancellationToken.None).ConfigureAwait(false);
                    if (!replies.Any(reply => reply.Type == "message"))
                    {
                        throw new BenchException($"no message in {Reply.Show(replies)}");
                    }
                }
                catch (Exception exception) when (exception is BenchException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= exception.Message;
                }
            }
        }))).ConfigureAwait(false);
        var after = await ServerSample.TakeAsync(options).ConfigureAwait(false) ?? throw new BenchException("the bot is gone");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rss after {conversations} conversations: {after.RssBytes / 1048576.0:F0} MB (before {before.RssBytes / 1048576.0:F0} MB; {conversations / clock.Elapsed.TotalSeconds:F0} conversations/s)  errors {errors}"));
        if (firstError is not null)
        {
            Console.WriteLine($"  error: {firstError}");
        }
        Results.Append(options, "rss-mb", conversations, after.RssBytes / 1048576.0);
        // Last, since it forces full collections: where the resident set is (managed live, GC free, native, code).
        if (await ServerSample.MemoryReportAsync(options).ConfigureAwait(false) is { } report)
        {
            Console.WriteLine("  where it is (the bot's probe, read after the figure above):");
            Console.WriteLine(string.Join('\n', report.Split('\n').Select(line => "    " + line)));
        }
        return errors == 0 ? 0 : 1;
    }
}
