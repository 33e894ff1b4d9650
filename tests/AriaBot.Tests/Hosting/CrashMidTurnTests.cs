using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AriaBot.Audit;
using AriaBot.Changes;
using Aria.Sandbox.Faults;
using Aria.Sandbox.State;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Sandbox = Aria.Sandbox.AriaSandbox;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Hosting;

/// <summary>
/// The bot killed in the middle of a web-chat "yes" (Aria has written, nothing of ours is saved), then started again
/// on the same SQLite database: the interrupted turn is settled when the new process starts — the write reconciled
/// and never repeated, the customer told where things stand — and the conversation goes on at once, the message
/// that was waiting behind the "yes" included.
/// </summary>
public sealed class CrashMidTurnTests : IDisposable
{
    private const string DirectLine = "/v3/directline";
    private const long Alice = 1000001;
    private const long Premium = 13;

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"ariabot-crash-{Guid.NewGuid():N}.db");

    private Dictionary<string, string?> Settings => new()
    {
        ["State:Provider"] = "Sqlite",
        ["State:SqlitePath"] = _database,
        // Posts answer at once; the tests poll the conversation for the bot's replies, as Web Chat does.
        ["DirectLine:PostWaitTimeout"] = "00:00:00",
        // The clock stands still in these tests, so the per-minute read allowance never refills: let the polling through.
        ["DirectLine:MaxReadsPerWindow"] = "10000",
    };

    [Fact]
    public Task A_process_killed_during_a_web_chat_yes_is_settled_at_start_up_and_the_conversation_goes_on_at_once() =>
        KilledDuringYesAsync(processEndsBeforeRestart: false, restartAfter: TimeSpan.FromSeconds(20));

    /// <summary>
    /// The restart comes well inside the dead process's lease (1 s), but its lock file beside the SQLite file is free:
    /// the successor knows at start-up, without waiting for the heartbeat to lapse.
    /// </summary>
    [Fact]
    public Task A_quick_restart_on_the_same_sqlite_file_settles_the_interrupted_turn_without_waiting_for_the_lease() =>
        KilledDuringYesAsync(processEndsBeforeRestart: true, restartAfter: TimeSpan.FromSeconds(1));

    private async Task KilledDuringYesAsync(bool processEndsBeforeRestart, TimeSpan restartAfter)
    {
        var first = new AssistantTestHost(Settings, services => services
            .AddSingleton(sp => new DyingStorage(SqliteStorage.ForFile(_database, sp.GetRequiredService<TimeProvider>())))
            .AddSingleton<IStorage>(sp => sp.GetRequiredService<DyingStorage>())
            .AddSingleton(sp => new KillAfterWrite(new StorageWriteLedger(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<DyingStorage>()))
            .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<KillAfterWrite>()));
        var sandbox = first.Sandbox;
        int Writes() => sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);

        var session = await first.OpenAriaSessionAsync();
        var (token, conversationId) = await StartAsync(first, session);
        await AskAsync(first, token, conversationId, "switch my plan");
        var preview = await AskAsync(first, token, conversationId, "Premium");
        Assert.Contains("billing system says", preview, StringComparison.Ordinal);

        // "yes": Aria writes, and the process dies before anything of ours is saved. The customer meanwhile sends another message.
        var trap = first.Services.GetRequiredService<KillAfterWrite>();
        var atTrap = trap.ArmAsync();
        var yes = await PostAsync(first, token, conversationId, "yes");
        await atTrap.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await PostAsync(first, token, conversationId, "what's my balance?");
        trap.Kill();
        Assert.Equal(1, Writes());
        Assert.Equal(Premium, PlanOf(sandbox));

        var sandboxState = first.Services.GetRequiredService<SandboxState>();
        var sandboxCalls = first.Services.GetRequiredService<SandboxCallLog>();
        var sandboxFaults = first.Services.GetRequiredService<SandboxFaults>();
        var diedAt = first.Time.GetUtcNow();
        if (processEndsBeforeRestart)
        {
            // What the operating system does when a process dies: its files are closed and their locks dropped.
            first.Time.Advance(TimeSpan.FromMinutes(1));
            await first.DisposeAsync();
        }

        // The restart: a new process on the same database (and the same Aria), its clock a little past the old
        // process's lease (or, when it is proven gone, inside it) and far short of the two minutes after which a turn
        // used to count as abandoned.
        await using var second = new AssistantTestHost(Settings, services => services
            .AddSingleton(sandbox)
            .AddSingleton(sandboxState)
            .AddSingleton(sandboxCalls)
            .AddSingleton(sandboxFaults),
            start: diedAt + restartAfter);

        // Started up: the interrupted "yes" is answered with where things stand, the write was not repeated…
        var told = await RepliesToAsync(second, token, conversationId, yes);
        Assert.Contains("interrupted", told, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("went through", told, StringComparison.Ordinal);
        Assert.Equal(1, Writes());
        var row = Assert.Single(await second.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice));
        Assert.Equal(AuditOutcome.Committed, row.Outcome);

        // …the message that waited behind it is answered, and so is the next one, at once.
        Assert.NotEmpty(await RepliesToAsync(second, token, conversationId, waiting));
        var next = await AskAsync(second, token, conversationId, "hi");
        Assert.NotEmpty(next);
        Assert.DoesNotContain(second.Logs.GetSnapshot(), log => log.Message.Contains("Turn refused", StringComparison.Ordinal));
        Assert.Equal(1, Writes());
        Assert.Equal(Premium, PlanOf(sandbox));

        // The dead process is let go only now: nothing of it reaches the database any more.
        if (!processEndsBeforeRestart)
        {
            first.Time.Advance(TimeSpan.FromMinutes(1));
            await first.DisposeAsync();
        }
    }

    private static long PlanOf(Sandbox sandbox) => sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo;

    private static async Task<(string Token, string ConversationId)> StartAsync(AssistantTestHost host, string ariaSession)
    {
        var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_portal-ana", name = "Ana" }, binding = new { ariaSessionId = ariaSession } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);
        return (token, conversationId);
    }

    private static async Task<string> PostAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        var posted = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", token,
            new { type = "message", text, from = new { id = "dl_portal-ana" } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return (await Json(posted)).GetProperty("id").GetString()!;
    }

    private static async Task<string> AskAsync(AssistantTestHost host, string token, string conversationId, string text) =>
        await RepliesToAsync(host, token, conversationId, await PostAsync(host, token, conversationId, text));

    /// <summary>What the bot said in answer to <paramref name="activityId"/>, polled from the log as Web Chat would.</summary>
    private static async Task<string> RepliesToAsync(AssistantTestHost host, string token, string conversationId, string activityId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var response = await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token);
            Assert.True(response.IsSuccessStatusCode, $"GET activities: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var set = await Json(response);
            var replies = set.GetProperty("activities").EnumerateArray()
                .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == activityId && a.TryGetProperty("text", out _))
                .Select(a => a.GetProperty("text").GetString())
                .ToList();
            if (replies.Count > 0)
            {
                // A turn's replies are appended one by one: give the rest a moment to land.
                await Task.Delay(100);
                set = await Json(await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token));
                return string.Join("\n", set.GetProperty("activities").EnumerateArray()
                    .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == activityId && a.TryGetProperty("text", out _))
                    .Select(a => a.GetProperty("text").GetString()));
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"The bot never answered activity {activityId}.");
    }

    public void Dispose()
    {
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
        // The lock files each process held beside the database (ProcessIncarnation).
        if (Directory.Exists(_database + ".incarnations"))
        {
            Directory.Delete(_database + ".incarnations", recursive: true);
        }
    }
}
