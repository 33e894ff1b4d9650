using Process = System.Diagnostics.Process;
using System.Net;
using AriaBot.Catalog;
using AriaBot.Understanding;
using Microsoft.Extensions.DependencyInjection;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Speed;

/// <summary>
/// The stages of an unsigned turn measured side by side in one process (issue 22): the whole turn over
/// <c>/api/messages</c>, the same turn over Direct Line (post, then the client's read of the log), and the
/// Understander alone on the same text, so its share is shown apart from the rest of the turn. Stages run
/// interleaved in rounds, so load on the shared machine lands on all of them alike.
/// </summary>
internal sealed class TurnProfile(TurnCostHarness harness)
{
    private const string DirectLine = "/v3/directline";

    public sealed record Stage(string Name, string Text, int Count, double CpuMicroseconds, double Bytes)
    {
        public override string ToString() =>
            $"{Name,-22} {Text,-16} n {Count,5}  CPU {CpuMicroseconds / Count,8:F0} µs  alloc {Bytes / Count / 1024,8:F1} KB";
    }

    private string? _token;
    private string? _conversation;

    /// <summary>Opens one Direct Line conversation to measure turns in (a token, then the conversation).</summary>
    public async Task StartDirectLineAsync()
    {
        var generated = await Json(await SendAsync(harness.Host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_perf", name = "Perf" } }));
        _token = generated.GetProperty("token").GetString()!;
        _conversation = generated.GetProperty("conversationId").GetString()!;
        using var started = await SendAsync(harness.Host, HttpMethod.Post, $"{DirectLine}/conversations", _token, new { locale = "en-US" });
        if (started.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Direct Line did not start: {(int)started.StatusCode}");
        }
    }

    /// <summary>One turn over Direct Line as Web Chat's polling client does it: post, then read what is new.</summary>
    public async Task DirectLineTurnAsync(string text)
    {
        using var posted = await SendAsync(harness.Host, HttpMethod.Post, $"{DirectLine}/conversations/{_conversation}/activities", _token,
            new { type = "message", from = new { id = "dl_perf" }, text, locale = "en-US" });
        if (posted.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"'{text}' over Direct Line got {(int)posted.StatusCode}");
        }
        var id = (await Json(posted)).GetProperty("id").GetString()!;
        var watermark = id[(id.LastIndexOf('|') + 1)..];
        using var read = await SendAsync(harness.Host, HttpMethod.Get, $"{DirectLine}/conversations/{_conversation}/activities?watermark={watermark}", _token);
        var activities = (await Json(read)).GetProperty("activities");
        if (!activities.EnumerateArray().Any(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id))
        {
            throw new InvalidOperationException($"'{text}' over Direct Line got no reply");
        }
    }

    /// <summary>The Understander on <paramref name="text"/> with the catalog a turn gives it.</summary>
    public async Task UnderstandAsync(string text)
    {
        var catalog = await harness.Host.Services.GetRequiredService<IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        var result = harness.Host.Services.GetRequiredService<IUnderstander>().Understand(text, "en-US", new UnderstandingContext { Catalog = catalog });
        GC.KeepAlive(result);
    }

    /// <summary>
    /// <paramref name="rounds"/> rounds; in each, every stage runs <paramref name="perRound"/> times on every text.
    /// A new /api/messages conversation every five turns, as the harness does; the Direct Line conversation is one.
    /// </summary>
    public async Task<IReadOnlyList<Stage>> MeasureAsync(IReadOnlyList<string> texts, int rounds, int perRound)
    {
        var stages = new Dictionary<(string, string), Stage>();
        var conversation = "";
        var turn = 0;
        (string Name, Func<string, Task> Run)[] runs =
        [
            ("api/messages turn", async text =>
            {
                if (turn++ % 5 == 0)
                {
                    conversation = $"perf-{Guid.NewGuid():N}";
                }
                await harness.TurnAsync(conversation, text);
            }),
            ("direct line turn", DirectLineTurnAsync),
            ("understander only", UnderstandAsync),
        ];
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, run) in runs)
            {
                foreach (var text in texts)
                {
                    var (cpu, bytes) = await CostAsync(() => run(text), perRound);
                    var key = (name, text);
                    stages[key] = stages.TryGetValue(key, out var so) ? so with { Count = so.Count + perRound, CpuMicroseconds = so.CpuMicroseconds + cpu, Bytes = so.Bytes + bytes }
                        : new Stage(name, text, perRound, cpu, bytes);
                }
            }
        }
        return [.. stages.Values];
    }

    private static async Task<(double Cpu, double Bytes)> CostAsync(Func<Task> run, int times)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < times; i++)
        {
            await run();
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMicroseconds, allocated);
    }
}
