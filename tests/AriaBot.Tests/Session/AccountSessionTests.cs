using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Session;

/// <summary>The per-turn session check (invariant 1, docs/invariants.md) against the sandbox, with the sandbox's call log as the witness.</summary>
public sealed class AccountSessionTests
{
    private static readonly BindingKey Alice = new(Channels.Webchat, "conv-a", "user-a");

    [Fact]
    public async Task Read_read_write_validates_first_and_again_right_before_the_write()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        var aria = host.Services.GetRequiredService<IAriaClient>();
        host.Sandbox.Calls.Clear();

        AriaResult<UpdateContactMResponse>? written = null;
        await host.RunTurnAsync(Alice, async turn =>
        {
            var check = await host.AccountSession.CheckAsync(turn, CancellationToken.None);
            Assert.True(check.IsAccount(1000001));
            await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = check.AccountNo });
            await aria.GetAcctPlansAsync(new GetAcctPlansMRequest { AcctNo = check.AccountNo });
            var beforeWrite = await host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
            Assert.True(beforeWrite.IsAccount(1000001));
            written = await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = beforeWrite.AccountNo, ContactInd = 1, Phone = "+1 503 555 0199" });
        });

        Assert.True(written!.IsSuccess, written.ToString());
        Assert.Equal(
            ["validate_session_m", "get_acct_details_all_m", "get_acct_plans_m", "validate_session_m", "update_contact_m"],
            host.Sandbox.Calls.All.Select(c => c.RestCall));
    }

    [Fact]
    public async Task Validate_then_write_validates_once_and_the_check_is_cached_for_the_turn()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        var aria = host.Services.GetRequiredService<IAriaClient>();
        host.Sandbox.Calls.Clear();

        await host.RunTurnAsync(Alice, async turn =>
        {
            var first = await host.AccountSession.CheckAsync(turn, CancellationToken.None);
            var again = await host.AccountSession.CheckAsync(turn, CancellationToken.None);
            Assert.Same(first, again);
            var beforeWrite = await host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
            Assert.Equal(first, beforeWrite);
            await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = beforeWrite.AccountNo, ContactInd = 1, Phone = "+1 503 555 0198" });
        });

        Assert.Equal(["validate_session_m", "update_contact_m"], host.Sandbox.Calls.All.Select(c => c.RestCall));
    }

    [Fact]
    public async Task Without_the_ledger_nothing_can_be_proven_so_the_write_check_always_validates()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        host.Sandbox.Calls.Clear();
        await host.RunTurnAsync(Alice, async turn =>
        {
            await host.AccountSession.CheckAsync(turn, CancellationToken.None);
            await host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
        }, withLedger: false);
        Assert.Equal(2, host.Sandbox.Calls.Count("validate_session_m"));
    }

    [Fact]
    public async Task A_second_write_in_the_same_turn_validates_again()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        var aria = host.Services.GetRequiredService<IAriaClient>();
        host.Sandbox.Calls.Clear();
        await host.RunTurnAsync(Alice, async turn =>
        {
            for (var i = 0; i < 2; i++)
            {
                var check = await host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
                await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = check.AccountNo, ContactInd = 1, Phone = $"+1 503 555 017{i}" });
            }
        });
        Assert.Equal(["validate_session_m", "update_contact_m", "validate_session_m", "update_contact_m"], host.Sandbox.Calls.All.Select(c => c.RestCall));
    }

    [Fact]
    public async Task The_account_is_the_one_Aria_returns_per_chat_user_and_nobody_else_is_signed_in()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        await host.BindDirectlyAsync(Alice with { UserId = "user-b" }, "bob", "bob-demo-1");

        SessionCheck? alice = null, bob = null, stranger = null, otherConversation = null;
        await host.RunTurnAsync(Alice, async turn => alice = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        await host.RunTurnAsync(Alice with { UserId = "user-b" }, async turn => bob = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        await host.RunTurnAsync(Alice with { UserId = "user-c" }, async turn => stranger = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        await host.RunTurnAsync(Alice with { ConversationId = "conv-other" }, async turn => otherConversation = await host.AccountSession.CheckAsync(turn, CancellationToken.None));

        Assert.Equal(SessionCheck.SignedIn(1000001, "alice"), alice);
        Assert.Equal(SessionCheck.SignedIn(1000002, "bob"), bob);
        Assert.Equal(SessionCheck.NotSignedIn, stranger);
        Assert.Equal(SessionCheck.NotSignedIn, otherConversation);
        Assert.False(bob!.IsAccount(1000001));
        // Two validations when binding, then one per signed-in turn; the others had nothing to validate.
        Assert.Equal(4, host.Sandbox.Calls.Count("validate_session_m"));
    }

    [Fact]
    public async Task An_expired_session_removes_the_binding_and_says_expired()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        // The sandbox's sessions last 30 minutes.
        host.Time.Advance(TimeSpan.FromMinutes(31));
        SessionCheck? check = null, next = null;
        await host.RunTurnAsync(Alice, async turn => check = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        await host.RunTurnAsync(Alice, async turn => next = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        Assert.Equal(SessionCheck.Expired, check);
        Assert.Equal(SessionCheck.NotSignedIn, next);
        Assert.Null(await host.Bindings.GetAsync(Alice));
    }

    [Fact]
    public async Task Aria_unavailable_keeps_the_binding_and_acts_on_nothing()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(Alice);
        host.Sandbox.Faults.HttpStatusNext("validate_session_m", 503, 10);
        SessionCheck? check = null, beforeWrite = null;
        await host.RunTurnAsync(Alice, async turn =>
        {
            check = await host.AccountSession.CheckAsync(turn, CancellationToken.None);
            beforeWrite = await host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
        });
        Assert.Equal(SessionCheck.Unavailable, check);
        Assert.Equal(SessionStatus.Unavailable, beforeWrite!.Status);
        Assert.Null(check!.AccountNo);
        Assert.NotNull(await host.Bindings.GetAsync(Alice));

        host.Sandbox.Faults.Clear();
        await host.RunTurnAsync(Alice, async turn => check = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        Assert.True(check!.IsSignedIn);
    }

    [Fact]
    public async Task Group_conversations_are_reported_as_such_and_never_reach_Aria()
    {
        await using var host = new AssistantTestHost();
        SessionCheck? check = null;
        var adapter = new BotRuntime.Testing.TestAdapter(new() { ChannelId = Channels.Msteams, ConversationType = "channel", ConversationId = "19:team@thread.tacv2", TimeProvider = host.Time });
        await adapter.ProcessActivityAsync(adapter.MakeActivity("balance"), async (turn, _) => check = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
        Assert.Equal(SessionCheck.GroupConversation, check);
        Assert.Empty(host.Sandbox.Calls.All);
    }

    [Fact]
    public async Task Sign_out_kills_the_Aria_session_and_removes_the_binding()
    {
        await using var host = new AssistantTestHost();
        var sessionId = await host.BindDirectlyAsync(Alice);
        Assert.True(host.IsSessionLive(sessionId));

        bool signedOut = false, again = true;
        SessionCheck? after = null;
        await host.RunTurnAsync(Alice, async turn =>
        {
            signedOut = await host.AccountSession.SignOutAsync(turn, CancellationToken.None);
            after = await host.AccountSession.CheckAsync(turn, CancellationToken.None);
        });
        await host.RunTurnAsync(Alice, async turn => again = await host.AccountSession.SignOutAsync(turn, CancellationToken.None));

        Assert.True(signedOut);
        Assert.False(again);
        Assert.Equal(SessionCheck.NotSignedIn, after);
        Assert.False(host.IsSessionLive(sessionId));
        Assert.Equal(1, host.Sandbox.Calls.Count("kill_session_m", 1000001));
        Assert.Null(await host.Bindings.GetAsync(Alice));
    }

    [Fact]
    public async Task Bindings_are_stored_server_side_with_an_expiry_and_print_no_session_id()
    {
        await using var host = new AssistantTestHost(new() { ["SignIn:BindingLifetime"] = "01:00:00" });
        var sessionId = await host.BindDirectlyAsync(Alice);
        var stored = Assert.Single(await host.Storage.ReadPrefixAsync("session-bindings/c/", 10));
        // A test conversation is an unauthenticated ingress's: its keys carry that ingress, apart from Direct Line's and the Bot Connector's.
        Assert.Equal("session-bindings/c/~anonymous/webchat/conv-a/user-a", stored.Key);
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromHours(1), stored.Value.ExpiresAt);
        var binding = (await host.Bindings.GetAsync(Alice))!;
        Assert.DoesNotContain(sessionId, binding.ToString(), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await host.Bindings.GetAsync(Alice));
    }
}
