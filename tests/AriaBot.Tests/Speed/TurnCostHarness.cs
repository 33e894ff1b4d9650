using Process = System.Diagnostics.Process;
using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What one unsigned turn costs the process (issue 22): CPU time and bytes allocated, measured in-process over
/// <c>/api/messages</c> expectReplies on the real host, one turn at a time. The machine is shared and loaded, so
/// wall-clock time says nothing; process CPU time with one turn in flight and the allocation counter are what load
/// does not distort much. Logging is set as in production (Information, no test collector), since a Trace
/// collector would be most of what is measured. Counts can be raised with <c>ARIABOT_PERF_TURNS</c> and
/// <c>ARIABOT_PERF_WARMUP</c>; the figures go to the test output (and to <c>ARIABOT_PERF_OUT</c> when set).
/// </summary>
internal sealed class TurnCostHarness(Action<IServiceCollection>? services = null) : IAsyncDisposable
{
    // The Direct Line limits are raised so one conversation can take the measured turns; they are still counted.
    private readonly AssistantTestHost _host = new(new Dictionary<string, string?>
    {
        ["DirectLine:MaxPostsPerWindow"] = "100000",
        ["DirectLine:MaxReadsPerWindow"] = "1000000",
    }, services: collection =>
    {
        collection.RemoveAll<ILoggerProvider>();
        collection.Configure<LoggerFilterOptions>(options => options.MinLevel = LogLevel.Information);
        services?.Invoke(collection);
    });

    private int _sequence;

    public AssistantTestHost Host => _host;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public sealed record Cost(string Text, int Turns, double CpuMicrosecondsPerTurn, double BytesPerTurn)
    {
        public override string ToString() => $"{Text,-18} turns {Turns,5}  CPU {CpuMicrosecondsPerTurn,9:F0} µs/turn  alloc {BytesPerTurn / 1024,8:F1} KB/turn";
    }

    /// <summary>One turn: <paramref name="text"/> in conversation <paramref name="conversation"/>; the reply must be a message (an error can never look cheap).</summary>
    public async Task TurnAsync(string conversation, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = $"a{Interlocked.Increment(ref _sequence)}",
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = conversation },
            From = new ChannelAccount { Id = $"u-{conversation}" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"'{text}' got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        if (replies?.Activities.Any(reply => reply.Type == ActivityTypes.Message && !string.IsNullOrEmpty(reply.Text)) != true)
        {
            throw new InvalidOperationException($"'{text}' got no message back");
        }
    }

    /// <summary>Turns of <paramref name="texts"/> in rotation, a new conversation every <paramref name="perConversation"/> turns.</summary>
    public async Task RunAsync(IReadOnlyList<string> texts, int turns, int perConversation = 5)
    {
        var conversation = "";
        for (var i = 0; i < turns; i++)
        {
            if (i % perConversation == 0)
            {
                conversation = $"perf-{Guid.NewGuid():N}";
            }
            await TurnAsync(conversation, texts[i % texts.Count]);
        }
    }

    /// <summary>The CPU and allocations of <paramref name="turns"/> turns of <paramref name="text"/>.</summary>
    public async Task<Cost> MeasureAsync(string text, int turns)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        await RunAsync([text], turns);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        process.Refresh();
        var spent = process.TotalProcessorTime - cpu;
        return new Cost(text, turns, spent.TotalMicroseconds / turns, (double)allocated / turns);
    }

    public static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    public static void Report(ITestOutputHelper output, IEnumerable<Cost> costs) => Report(output, costs.Select(cost => cost.ToString()));

    public static void Report(ITestOutputHelper output, IEnumerable<string> report)
    {
        var lines = report.ToList();
        lines.ForEach(output.WriteLine);
        if (Environment.GetEnvironmentVariable("ARIABOT_PERF_OUT") is { Length: > 0 } path)
        {
            File.AppendAllLines(path, lines);
        }
    }
}
