using AriaBot.Changes;
using AriaBot.Escalation;
using AriaBot.Handoff;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// Handoff and the exactly-once rule (invariant 3): a write whose outcome cannot be proven hands the conversation to a
/// person, and a write left pending is reconciled on the customer's next message even while a person has the
/// conversation (the bot, which otherwise settles it first, does not run then).
/// </summary>
public sealed class HandoffWriteTests
{
    private static string Said(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    [Fact]
    public async Task A_write_whose_outcome_is_unknown_hands_the_conversation_to_a_person_and_is_never_retried()
    {
        // Every attempt of the write times out, and without an assignment directive an unchanged account proves
        // nothing: the outcome is unknown (as in PlanChangeScenarios). Short timeouts, so the three attempts give up in
        // about a second and a half; the calls before and after it are retried, so one slow attempt of theirs is harmless.
        await using var host = new AssistantTestHost(AgentConsole.Settings(new()
        {
            ["Aria:AttemptTimeout"] = "00:00:00.500",
            ["Aria:TotalTimeout"] = "00:00:10",
        }));
        var chat = host.Conversation();
        await chat.SignInAsync();
        await chat.SayAsync("switch my plan");
        await chat.ClickAsync("Premium");
        host.Sandbox.Faults.TimeoutNext("replace_acct_plan_m", count: 5);

        var replies = Said(await chat.ClickAsync("Confirm"));

        Assert.Contains("I couldn't confirm whether", replies, StringComparison.Ordinal);
        Assert.Contains("connecting you with a person", replies, StringComparison.Ordinal);
        var handoff = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: false, 100, CancellationToken.None));
        Assert.Equal(EscalationReason.UnknownOutcome, handoff.Reason);
        Assert.NotNull(handoff.Context.AccountNo);
        // Handed off: a "yes" goes to the agent and writes nothing again.
        host.Sandbox.Faults.Clear();
        Assert.Empty(await chat.SayAsync("yes"));
        Assert.Equal(0, host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true && call.ErrorCode == 0));
    }

    [Fact]
    public async Task A_pending_write_is_reconciled_on_the_customers_next_message_while_handed_off()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var chat = host.Conversation();
        await chat.SignInAsync();
        Assert.Contains("connecting you with a person", Said(await chat.SayAsync("agent")), StringComparison.Ordinal);
        var store = host.Services.GetRequiredService<HandoffStore>();
        var handoff = Assert.Single(await store.ListAsync(open: true, closed: false, 100, CancellationToken.None));

        // A write of this conversation left pending (its turn died after recording it); no reconciler can prove it.
        var ledger = host.Services.GetRequiredService<IWriteLedger>();
        var intent = new WriteIntent
        {
            Id = "handoff-pending-write-1",
            Kind = "testKindWithoutReconciler",
            AccountNo = handoff.Context.AccountNo!.Value,
            ConversationKey = handoff.ConversationKey,
            CreatedAt = host.Time.GetUtcNow(),
            Description = "switch from Standard to Premium",
        };
        Assert.True(await ledger.RecordPendingAsync(intent));

        var replies = Said(await chat.SayAsync("is anyone there?"));

        Assert.Contains("I couldn't confirm whether your earlier request went through", replies, StringComparison.Ordinal);
        Assert.Equal(WriteIntentStatus.Unknown, (await ledger.GetAsync(intent.Id))!.Status);
        Assert.Empty(await ledger.OpenForConversationAsync(handoff.ConversationKey));
        var after = (await store.GetAsync(handoff.Id, CancellationToken.None))!;
        Assert.True(after.IsOpen);
        // The agent sees both: that the customer was told, and the customer's message.
        Assert.Contains(after.Messages, line => line.From == "system" && line.Text.Contains("settled an earlier pending request", StringComparison.Ordinal));
        Assert.Contains(after.Messages, line => line.From == "customer" && line.Text == "is anyone there?");

        // Told once: the next message is only relayed.
        Assert.Empty(await chat.SayAsync("hello?"));
    }
}
