using System.Net;
using AriaBot.Audit;
using AriaBot.Changes;
using Aria.Sandbox.Faults;
using Aria.Sandbox.State;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The bot killed between Aria's charge and our state save (over Direct Line, on SQLite), then started again on the
/// same database: the interrupted "yes" is settled at start-up — one charge, reconciled by its receipt, never repeated —
/// and the customer is told it went through.
/// </summary>
public sealed class PaymentProcessRestartTests : IDisposable
{
    private const string DirectLine = "/v3/directline";
    private const long Bob = MakePaymentTests.Bob;

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"ariabot-pay-crash-{Guid.NewGuid():N}.db");

    private Dictionary<string, string?> Settings => new()
    {
        ["State:Provider"] = "Sqlite",
        ["State:SqlitePath"] = _database,
        ["DirectLine:PostWaitTimeout"] = "00:00:00",
        ["DirectLine:MaxReadsPerWindow"] = "10000",
    };

    [Fact]
    public async Task A_process_killed_after_the_charge_charges_once_after_restart_and_says_it_went_through()
    {
        var first = new AssistantTestHost(Settings, services => services
            .AddSingleton(sp => new DyingStorage(SqliteStorage.ForFile(_database, sp.GetRequiredService<TimeProvider>())))
            .AddSingleton<IStorage>(sp => sp.GetRequiredService<DyingStorage>())
            .AddSingleton(sp => new KillAfterWrite(new StorageWriteLedger(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<DyingStorage>()))
            .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<KillAfterWrite>()));
        var sandbox = first.Sandbox;
        int Charges() => sandbox.Payments(Bob).Count(payment => payment.ClientReceiptId is not null);

        var (token, conversationId) = await StartAsync(first, await first.OpenAriaSessionAsync("bob", "bob-demo-1"));
        var preview = await AskAsync(first, token, conversationId, "pay $20");
        Assert.Contains("Your balance due is $38.00.", preview, StringComparison.Ordinal);

        var trap = first.Services.GetRequiredService<KillAfterWrite>();
        var atTrap = trap.ArmAsync();
        var yes = await PostAsync(first, token, conversationId, "yes");
        await atTrap.WaitAsync(TimeSpan.FromSeconds(30));
        trap.Kill();
        Assert.Equal(1, Charges());

        var diedAt = first.Time.GetUtcNow();
        first.Time.Advance(TimeSpan.FromMinutes(1));
        var sandboxState = first.Services.GetRequiredService<SandboxState>();
        var sandboxCalls = first.Services.GetRequiredService<SandboxCallLog>();
        var sandboxFaults = first.Services.GetRequiredService<SandboxFaults>();
        await first.DisposeAsync();

        await using var second = new AssistantTestHost(Settings, services => services
            .AddSingleton(sandbox)
            .AddSingleton(sandboxState)
            .AddSingleton(sandboxCalls)
            .AddSingleton(sandboxFaults),
            start: diedAt + TimeSpan.FromSeconds(1));

        var told = await RepliesToAsync(second, token, conversationId, yes);
        Assert.Contains("went through", told, StringComparison.Ordinal);
        Assert.Equal(1, Charges());
        Assert.Equal(18m, sandbox.Account(Bob).Balance);
        Assert.Contains(sandboxCalls.All, call => call.RestCall == "get_all_actions_by_receipt_id_m");
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await second.Services.GetRequiredService<IAuditLog>().ReadAsync(Bob)).Outcome);

        // The customer carries on; nothing is charged again.
        Assert.NotEmpty(await AskAsync(second, token, conversationId, "yes"));
        Assert.Equal(1, Charges());
    }

    private static async Task<(string Token, string ConversationId)> StartAsync(AssistantTestHost host, string ariaSession)
    {
        var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_portal-bob", name = "Bob" }, binding = new { ariaSessionId = ariaSession } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);
        return (token, conversationId);
    }

    private static async Task<string> PostAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        var posted = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", token,
            new { type = "message", text, from = new { id = "dl_portal-bob" } });
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
            var set = await Json(await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token));
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
        if (Directory.Exists(_database + ".incarnations"))
        {
            Directory.Delete(_database + ".incarnations", recursive: true);
        }
    }
}
