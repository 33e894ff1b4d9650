using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

/// <summary>The outcome of one timed turn: its problem (null when the reply was what the script expects) and whether it
/// completed a flow (the last turn of a waterfall, the confirmation of a plan switch or payment).</summary>
internal readonly record struct TurnOutcome(string? Problem, bool EndsFlow);

/// <summary>A simulated customer: set up once, untimed (a conversation, a sign-in), then one timed turn after another.</summary>
internal interface IVirtualUser
{
    Task PrepareAsync(CancellationToken cancellationToken);

    Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Closed loop: V users each send a turn, wait for and check the reply, then send the next, for a warm-up and then the
/// measured window. A turn whose reply is not what the script expects, or that failed in transport, is an error:
/// counted, its first few printed, never timed, and any error makes the exit code non-zero (an error can never look
/// fast). The server process (--pid, and --probe for a .NET server) is sampled when the window opens and closes, for
/// CPU ms and bytes allocated per turn. With --sandbox, one user then runs one more flow alone with the sandbox's call
/// log cleared before it, for the Aria calls one completed flow costs.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<int> RunAsync(Options options, Func<int, IVirtualUser> create)
    {
        var users = options.Int("users", 16);
        var warmup = TimeSpan.FromSeconds(options.Int("warmup", 5));
        var window = TimeSpan.FromSeconds(options.Int("seconds", 20));
        var label = options.Get("label", "bot");
        // --rate R paces the users to R turns/s in all (each user every V/R s) instead of as fast as they can, and
        // times each turn from when it was due, so a server that falls behind shows its queue in the percentiles.
        var rate = options.Int("rate", 0);
        var interval = rate > 0 ? TimeSpan.FromSeconds((double)users / rate) : TimeSpan.Zero;
        var list = Enumerable.Range(0, users).Select(create).ToList();
        using var setup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            // A few at a time: set-up (sign-in pages, Direct Line tokens) is not what is measured.
            await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = setup.Token },
                async (user, token) => await user.PrepareAsync(token).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is BenchException or HttpRequestException or TaskCanceledException or OperationCanceledException or JsonException)
        {
            Console.WriteLine($"{label,-22} V={users,-3} set-up failed: {exception.Message}");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var sampling = Task.Run(async () =>
        {
            await Task.Delay(warmup).ConfigureAwait(false);
            var before = await ServerSample.TakeAsync(options).ConfigureAwait(false);
            await Task.Delay(warmup + window - clock.Elapsed).ConfigureAwait(false);
            return (before, after: await ServerSample.TakeAsync(options).ConfigureAwait(false));
        });
        var latencies = new List<double>[users];
        var errors = new int[users];
        var flows = new int[users];
        var firstError = new string?[users];
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            latencies[user] = [];
            // Users start spread over one interval, so a paced load is even rather than in bursts of V.
            var due = interval * user / users;
            while (clock.Elapsed < warmup + window)
            {
                if (rate > 0)
                {
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait).ConfigureAwait(false);
                    }
                }
                var sent = clock.Elapsed;
                // Paced, a turn's latency runs from when it was due (a server that falls behind shows its queue); in
                // the window or not is decided by when it was really sent, like an unpaced turn.
                var started = rate > 0 ? due : sent;
                due += interval;
                var outcome = await TimedTurnAsync(list[user]).ConfigureAwait(false);
                var ended = clock.Elapsed;
                if (sent < warmup || ended > warmup + window)
                {
                    continue;
                }
                if (outcome.Problem is null)
                {
                    latencies[user].Add((ended - started).TotalMilliseconds);
                    flows[user] += outcome.EndsFlow ? 1 : 0;
                }
                else
                {
                    errors[user]++;
                    firstError[user] ??= outcome.Problem;
                }
            }
        }))).ConfigureAwait(false);
        var (sampleBefore, sampleAfter) = await sampling.ConfigureAwait(false);

        var all = latencies.SelectMany(list => list).ToList();
        var achieved = all.Count / window.TotalSeconds;
        var p95 = Report.Quantile(all, 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-22} V={users,-3} {achieved,7:F0} turns/s  {Report.Percentiles(all)}{ServerSample.Describe(sampleBefore, sampleAfter, all.Count)}  flows {flows.Sum()}  errors {errors.Sum()}"));
        foreach (var problem in firstError.Where(problem => problem is not null).Distinct().Take(3))
        {
            Console.WriteLine($"  error: {problem}");
        }
        var (alloc, allocUnavailable) = ServerSample.AllocatedPerTurn(sampleBefore, sampleAfter, all.Count);
        Results.Append(options, label, users, achieved, p95, ServerSample.CpuPerTurn(sampleBefore, sampleAfter, all.Count), alloc, allocUnavailable);

        var failed = errors.Sum() > 0 || all.Count == 0;
        if (!failed && options.Values.TryGetValue("sandbox", out var sandbox))
        {
            failed = !await CountAriaCallsAsync(new Uri(sandbox), list[0], label).ConfigureAwait(false);
        }
        return failed ? 1 : 0;
    }

    private static async Task<TurnOutcome> TimedTurnAsync(IVirtualUser user)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await user.TurnAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is BenchException or HttpRequestException or TaskCanceledException or OperationCanceledException or JsonException)
        {
            return new TurnOutcome(exception.GetType().Name + ": " + exception.Message, false);
        }
    }

    /// <summary>One flow alone, the sandbox's call log cleared just before: the Aria calls a completed flow costs.</summary>
    private static async Task<bool> CountAriaCallsAsync(Uri sandbox, IVirtualUser user, string label)
    {
        using var client = new HttpClient();
        var calls = new Uri(sandbox, "admin/calls");
        TurnOutcome outcome;
        var turns = 0;
        // Finish the flow the load left half-done, so the counted flow starts at its first turn.
        do
        {
            outcome = await TimedTurnAsync(user).ConfigureAwait(false);
        }
        while (outcome.Problem is null && !outcome.EndsFlow && ++turns < 10);
        (await client.DeleteAsync(calls).ConfigureAwait(false)).EnsureSuccessStatusCode();
        turns = 0;
        do
        {
            outcome = await TimedTurnAsync(user).ConfigureAwait(false);
        }
        while (outcome.Problem is null && !outcome.EndsFlow && ++turns < 10);
        if (outcome.Problem is not null)
        {
            Console.WriteLine($"  error in the counted flow: {outcome.Problem}");
            return false;
        }
        var log = await client.GetFromJsonAsync<JsonElement>(calls).ConfigureAwait(false);
        var byCall = log.EnumerateArray().GroupBy(call => call.GetProperty("rest_call").GetString() ?? "?")
            .Select(group => $"{group.Key} {group.Count()}").ToList();
        Console.WriteLine($"  {label}: Aria calls for one completed flow: {log.GetArrayLength()} ({(byCall.Count == 0 ? "none" : string.Join(", ", byCall))})");
        return true;
    }
}
