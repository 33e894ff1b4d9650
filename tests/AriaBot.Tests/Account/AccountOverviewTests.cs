using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account;

/// <summary>"My account" turn by turn against the sandbox: one card, read from Aria after the session check.</summary>
public sealed class AccountOverviewTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_overview_shows_plans_with_status_next_bill_balance_and_the_masked_card_in_one_card()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var chat = _host.Conversation();
        var replies = await chat.SayAsync("show me my account");

        var card = Assert.Single(replies.SelectMany(reply => reply.Attachments ?? []), a => a.ContentType == ContentTypes.AdaptiveCard).Content!.Value.GetRawText();
        Assert.Contains("Your account, Alice", card, StringComparison.Ordinal);
        Assert.Contains("Standard", card, StringComparison.Ordinal);
        Assert.Contains("Active · next bill ", card, StringComparison.Ordinal);
        Assert.Contains("$0.00", card, StringComparison.Ordinal);
        Assert.Contains("Nothing to pay", card, StringComparison.Ordinal);
        Assert.Contains("Visa ending 4242", card, StringComparison.Ordinal);
        Assert.Contains("primary", card, StringComparison.Ordinal);
        // Masked only: the full number the seed was given never leaves Aria.
        Assert.DoesNotContain("4242424242424242", card, StringComparison.Ordinal);
        // The session check came first, and the card is read from Aria each time.
        var calls = _host.Sandbox.Calls.All.Select(call => call.RestCall).ToList();
        Assert.True(calls.IndexOf("validate_session_m") < calls.IndexOf("get_acct_details_all_m"));

        await chat.SayAsync("my account");
        Assert.Equal(2, _host.Sandbox.Calls.Count("get_acct_plans_m"));
    }

    [Fact]
    public async Task One_overview_reads_the_account_once_and_each_list_once()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var before = _host.Sandbox.Calls.All.Count;
        var replies = await _host.Conversation().SayAsync("show me my account");

        // The primary card still comes from the billing groups of that single account reading.
        Assert.Contains("primary", Text(replies), StringComparison.Ordinal);
        // The account's own reads (the catalog names understanding may read on a first turn are not the account's).
        var calls = _host.Sandbox.Calls.All.Skip(before).Select(call => call.RestCall).Where(call => call.StartsWith("get_acct", StringComparison.Ordinal)).ToList();
        Assert.Equal(["get_acct_details_all_m", "get_acct_plans_m", "get_acct_payment_methods_and_terms_m"], calls);
    }

    [Fact]
    public async Task A_balance_due_and_add_ons_with_units_are_shown()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
        var bob = Text(await _host.Conversation().SayAsync("what do I owe on my account"));
        Assert.Contains("$38.00", bob, StringComparison.Ordinal);
        Assert.Contains("MasterCard ending 5454", bob, StringComparison.Ordinal);

        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo2", "user2"), "erin", "erin-demo-1");
        var erin = Text(await _host.Conversation("user2", "convo2").SayAsync("what plans do I have"));
        Assert.Contains("Extra Storage (100 GB) × 3", erin, StringComparison.Ordinal);
        Assert.Contains("Add-on · Active", erin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_cards_are_not_shown_the_overview_is_plain_text()
    {
        // A Slack direct message (its channel id starts with D): Slack shows no Adaptive Cards.
        await _host.BindDirectlyAsync(new BindingKey(Channels.Slack, "B1:T1:D0123", "user1"));
        var replies = await _host.Conversation(conversationId: "B1:T1:D0123", channelId: Channels.Slack).SayAsync("my account");
        Assert.DoesNotContain(replies, reply => reply.Attachments?.Count > 0);
        var text = string.Join("\n", AssistantConversation.Texts(replies));
        Assert.Contains("• Visa ending 4242 (primary", text, StringComparison.Ordinal);
        Assert.Contains("• Standard (Active · next bill ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_signed_in_it_offers_sign_in_and_reads_nothing()
    {
        var replies = await _host.Conversation().SayAsync("my account");
        Assert.Contains("sign in", Text(replies), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_details_all_m"));
    }

    [Fact]
    public async Task In_a_group_conversation_it_is_refused()
    {
        var group = _host.Conversation(userId: "user9", conversationId: "19:team@thread.tacv2", channelId: Channels.Msteams, conversationType: "channel", isGroup: true);
        var replies = await group.SayAsync("show my account");
        Assert.Contains("one-to-one chat", Text(replies), StringComparison.Ordinal);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_details_all_m"));
    }

    [Fact]
    public async Task In_Spanish_the_overview_is_in_Spanish_with_euro_style_amounts()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
        var text = Text(await _host.Conversation(locale: "es-ES").SayAsync("resumen de mi cuenta"));
        Assert.Contains("Tu cuenta, Bob", text, StringComparison.Ordinal);
        Assert.Contains("38,00", text, StringComparison.Ordinal);
        Assert.Contains("MasterCard terminada en 5454", text, StringComparison.Ordinal);
    }

    /// <summary>Everything said, the cards' spoken text included (the same words as the card).</summary>
    private static string Text(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(reply => reply.Speak ?? reply.Text ?? string.Empty));

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task Switched_off_it_is_not_offered()
        {
            await using var host = new AssistantTestHost(new() { ["SelfService:Sections:Account"] = "false" });
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
            var replies = await host.Conversation().SayAsync("show my account");
            Assert.DoesNotContain(replies, reply => reply.Attachments?.Count > 0);
            Assert.Equal(0, host.Sandbox.Calls.Count("get_acct_details_all_m"));
        }
    }
}
