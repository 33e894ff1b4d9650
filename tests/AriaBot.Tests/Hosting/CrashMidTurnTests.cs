using AriaBot.Audit;
using AriaBot.Changes;
using Aria.Sandbox.Faults;
using Aria.Sandbox.State;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaBot.Tests.Hosting;

/// <summary>
/// The bot killed in the middle of a web-chat "yes" (Aria has written, nothing of ours is saved), then started again
/// on the same SQLite database: the interrupted turn is settled when the new process starts — the write reconciled
/// and never repeated, the customer told where things stand — and the conversation goes on at once, the message
/// that was waiting behind the "yes" included.
/// </summary>
public sealed class CrashMidTurnTests : IDisposable
{
    private const long Alice = 1000001;
    private const long Premium = 13;

    private readonly RestartableWebChat _chat = new("dl_portal-ana", "Ana", "ariabot-crash");

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
        var first = new AssistantTestHost(_chat.Settings, services => services
            .AddSingleton(sp => new DyingStorage(SqliteStorage.ForFile(_chat.Database, sp.GetRequiredService<TimeProvider>())))
            .AddSingleton<IStorage>(sp => sp.GetRequiredService<DyingStorage>())
            .AddSingleton(sp => new KillAfterWrite(new StorageWriteLedger(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<DyingStorage>()))
            .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<KillAfterWrite>()));
        var sandbox = first.Sandbox;
        int Writes() => sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);

        var session = await first.OpenAriaSessionAsync();
        var (token, conversationId) = await _chat.StartAsync(first, session);
        await _chat.AskAsync(first, token, conversationId, "switch my plan");
        var preview = await _chat.AskAsync(first, token, conversationId, "Premium");
        Assert.Contains("billing system says", preview, StringComparison.Ordinal);

        // "yes": Aria writes, and the process dies before anything of ours is saved. The customer meanwhile sends another message.
        var trap = first.Services.GetRequiredService<KillAfterWrite>();
        var atTrap = trap.ArmAsync();
        var yes = await _chat.PostAsync(first, token, conversationId, "yes");
        await atTrap.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await _chat.PostAsync(first, token, conversationId, "what's my balance?");
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
        await using var second = new AssistantTestHost(_chat.Settings, services => services
            .AddSingleton(sandbox)
            .AddSingleton(sandboxState)
            .AddSingleton(sandboxCalls)
            .AddSingleton(sandboxFaults),
            start: diedAt + restartAfter);

        // Started up: the interrupted "yes" is answered with where things stand, the write was not repeated…
        var told = await RestartableWebChat.RepliesToAsync(second, token, conversationId, yes);
        Assert.Contains("interrupted", told, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("went through", told, StringComparison.Ordinal);
        Assert.Equal(1, Writes());
        var row = Assert.Single(await second.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice));
        Assert.Equal(AuditOutcome.Committed, row.Outcome);

        // …the message that waited behind it is answered, and so is the next one, at once.
        Assert.NotEmpty(await RestartableWebChat.RepliesToAsync(second, token, conversationId, waiting));
        var next = await _chat.AskAsync(second, token, conversationId, "hi");
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

    public void Dispose() => _chat.Dispose();
}
