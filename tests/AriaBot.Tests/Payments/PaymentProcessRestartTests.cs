using AriaBot.Audit;
using AriaBot.Changes;
using Aria.Sandbox.Faults;
using Aria.Sandbox.State;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The bot killed between Aria's charge and our state save (over Direct Line, on SQLite), then started again on the
/// same database: the interrupted "yes" is settled at start-up — one charge, reconciled by its receipt, never repeated —
/// and the customer is told it went through.
/// </summary>
public sealed class PaymentProcessRestartTests : IDisposable
{
    private const long Bob = MakePaymentTests.Bob;

    private readonly RestartableWebChat _chat = new("dl_portal-bob", "Bob", "ariabot-pay-crash");

    [Fact]
    public async Task A_process_killed_after_the_charge_charges_once_after_restart_and_says_it_went_through()
    {
        var first = new AssistantTestHost(_chat.Settings, services => services
            .AddSingleton(sp => new DyingStorage(SqliteStorage.ForFile(_chat.Database, sp.GetRequiredService<TimeProvider>())))
            .AddSingleton<IStorage>(sp => sp.GetRequiredService<DyingStorage>())
            .AddSingleton(sp => new KillAfterWrite(new StorageWriteLedger(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<DyingStorage>()))
            .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<KillAfterWrite>()));
        var sandbox = first.Sandbox;
        int Charges() => sandbox.Payments(Bob).Count(payment => payment.ClientReceiptId is not null);

        var (token, conversationId) = await _chat.StartAsync(first, await first.OpenAriaSessionAsync("bob", "bob-demo-1"));
        var preview = await _chat.AskAsync(first, token, conversationId, "pay $20");
        Assert.Contains("Your balance due is $38.00.", preview, StringComparison.Ordinal);

        var trap = first.Services.GetRequiredService<KillAfterWrite>();
        var atTrap = trap.ArmAsync();
        var yes = await _chat.PostAsync(first, token, conversationId, "yes");
        await atTrap.WaitAsync(TimeSpan.FromSeconds(30));
        trap.Kill();
        Assert.Equal(1, Charges());

        var diedAt = first.Time.GetUtcNow();
        first.Time.Advance(TimeSpan.FromMinutes(1));
        var sandboxState = first.Services.GetRequiredService<SandboxState>();
        var sandboxCalls = first.Services.GetRequiredService<SandboxCallLog>();
        var sandboxFaults = first.Services.GetRequiredService<SandboxFaults>();
        await first.DisposeAsync();

        await using var second = new AssistantTestHost(_chat.Settings, services => services
            .AddSingleton(sandbox)
            .AddSingleton(sandboxState)
            .AddSingleton(sandboxCalls)
            .AddSingleton(sandboxFaults),
            start: diedAt + TimeSpan.FromSeconds(1));

        var told = await RestartableWebChat.RepliesToAsync(second, token, conversationId, yes);
        Assert.Contains("went through", told, StringComparison.Ordinal);
        Assert.Equal(1, Charges());
        Assert.Equal(18m, sandbox.Account(Bob).Balance);
        Assert.Contains(sandboxCalls.All, call => call.RestCall == "get_all_actions_by_receipt_id_m");
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await second.Services.GetRequiredService<IAuditLog>().ReadAsync(Bob)).Outcome);

        // The customer carries on; nothing is charged again.
        Assert.NotEmpty(await _chat.AskAsync(second, token, conversationId, "yes"));
        Assert.Equal(1, Charges());
    }

    public void Dispose() => _chat.Dispose();
}
