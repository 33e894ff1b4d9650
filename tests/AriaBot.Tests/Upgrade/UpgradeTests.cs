using AriaBot.Audit;
using AriaBot.Changes;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Upgrade;

/// <summary>
/// A deployed database and conversations in flight survive an upgrade: state written by the previous build
/// (<see cref="PreviousBuildState"/>) is loaded into a fresh host, and both conversations finish correctly — the
/// pending write is reconciled (never repeated, the customer told the truth) and the preview still waiting accepts
/// "yes" and writes exactly once.
/// </summary>
public sealed class UpgradeTests
{
    private const long Alice = 1000001;
    private const long Bob = 1000002;
    private const long Premium = 13;
    private const string RestCall = "replace_acct_plan_m";

    [Fact]
    public async Task The_previous_builds_pending_write_is_reconciled_and_its_waiting_preview_writes_exactly_once()
    {
        await using var host = new AssistantTestHost(start: PreviousBuildState.RecordedAt);
        await PreviousBuildState.LoadAsync(host.Storage);
        await host.BindDirectlyAsync(PreviousBuildState.Alice);
        await host.BindDirectlyAsync(PreviousBuildState.Bob, "bob", "bob-demo-1");

        // Aria's side, which no fixture of ours can hold: the old process sent Bob's write and Aria committed it.
        // Read as stored JSON, so the test does not lean on the type names it is guarding.
        var pending = Assert.Single(await host.Storage.ReadPrefixAsync("intents/", 10));
        Assert.Equal("Pending", pending.Value.Document.GetProperty("status").GetString());
        var kind = pending.Value.Document.GetProperty("kind").GetString();
        var change = host.Services.GetServices<IPreviewedChange>().Single(candidate => candidate.Kind == kind);
        Assert.True((await change.WriteAsync(pending.Value.Document.GetProperty("expectation"), CancellationToken.None)).IsSuccess);
        Assert.Equal(1, Writes(host, Bob));

        var bob = host.Conversation(userId: PreviousBuildState.Bob.UserId, conversationId: PreviousBuildState.Bob.ConversationId);
        var told = await bob.SayAsync("yes");
        Assert.Contains("your earlier request went through", Said(told), StringComparison.Ordinal);
        Assert.Equal(1, WriteAttempts(host, Bob));
        Assert.Equal(Premium, PlanOf(host, Bob));
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await AuditAsync(host, Bob)).Outcome);

        var alice = host.Conversation(userId: PreviousBuildState.Alice.UserId, conversationId: PreviousBuildState.Alice.ConversationId);
        var done = await alice.SayAsync("yes");
        Assert.Contains("You're now on Premium", Said(done), StringComparison.Ordinal);
        Assert.Equal(Premium, PlanOf(host, Alice));
        Assert.Equal(1, WriteAttempts(host, Alice));
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await AuditAsync(host, Alice)).Outcome);

        // A yes sent again (a redelivery, an impatient customer) writes nothing more in either conversation.
        await alice.SayAsync("yes");
        await bob.SayAsync("yes");
        Assert.Equal(1, WriteAttempts(host, Alice));
        Assert.Equal(1, WriteAttempts(host, Bob));
    }

    private static int Writes(AssistantTestHost host, long accountNo) =>
        host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.AcctNo == accountNo && call.DoWrite == true && call.ErrorCode == 0);

    private static int WriteAttempts(AssistantTestHost host, long accountNo) =>
        host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.AcctNo == accountNo && call.DoWrite == true);

    private static long PlanOf(AssistantTestHost host, long accountNo) =>
        host.Sandbox.PlanInstances(accountNo).Single(instance => instance.ParentPlanInstanceNo is null).PlanNo;

    private static Task<IReadOnlyList<AuditEntry>> AuditAsync(AssistantTestHost host, long accountNo) =>
        host.Services.GetRequiredService<IAuditLog>().ReadAsync(accountNo);

    private static string Said(IEnumerable<BotRuntime.Schema.Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));
}
