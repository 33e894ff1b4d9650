using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The chat side of update payment information, turn by turn against the sandbox: removing a method needs an explicit
/// yes (a "no" writes nothing) and validates the session last; group conversations are refused; Spanish; a business
/// that accepts no cards gets no link; a card number typed in chat is answered with the secure page and never echoed.
/// </summary>
public sealed class PaymentMethodsDialogTests : IAsyncLifetime
{
    private const long Alice = 1000001;
    private const long Backup = 990001;

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        // A second card on file, besides the one alice's bills use.
        _host.Sandbox.Write(s =>
        {
            var account = s.Accounts.Single(a => a.AcctNo == Alice);
            account.PaymentMethods.Add(new Aria.Sandbox.State.PaymentMethod
            {
                PaymentMethodNo = Backup,
                Suffix = "1881",
                ExpireMonth = 1,
                ExpireYear = _host.Time.GetUtcNow().Year + 2,
                CardType = "Visa",
                BillingGroupNo = account.BillingGroups[0].BillingGroupNo,
            });
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private bool BackupDisabled() => _host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Single(m => m.PaymentMethodNo == Backup).Disabled);

    [Fact]
    public async Task Removing_a_method_asks_first_and_no_writes_nothing()
    {
        var listed = string.Join("\n", AssistantConversation.Texts(await _chat.SayAsync("update my card")));
        Assert.Contains("Visa ending 1881, expires 01/", listed, StringComparison.Ordinal);
        await _chat.ClickAsync("Remove a method");
        var asked = AssistantConversation.Texts(await _chat.ClickAsync(_chat.Said[^1].SuggestedActions!.Actions!.Single(a => a.Title!.Contains("1881", StringComparison.Ordinal))));
        Assert.Contains(asked, text => text.Contains("can't be undone", StringComparison.Ordinal));
        var no = AssistantConversation.Texts(await _chat.SayAsync("no"));
        Assert.Contains("OK, nothing has changed.", no);
        Assert.False(BackupDisabled());
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "update_payment_method_m");
    }

    [Fact]
    public async Task Removing_a_method_after_yes_disables_it_once_with_the_session_validated_last_and_audited()
    {
        await _chat.SayAsync("update my card");
        await _chat.ClickAsync("Remove a method");
        await _chat.ClickAsync(_chat.Said[^1].SuggestedActions!.Actions!.Single(a => a.Title!.Contains("1881", StringComparison.Ordinal)));
        _host.Sandbox.Calls.Clear();
        var done = AssistantConversation.Texts(await _chat.SayAsync("yes"));
        Assert.Contains(done, text => text.StartsWith("Done: Visa ending 1881", StringComparison.Ordinal));
        Assert.True(BackupDisabled());
        var calls = _host.Sandbox.Calls.All.Select(call => call.RestCall).ToList();
        Assert.Single(calls, call => call == "update_payment_method_m");
        Assert.Equal("validate_session_m", calls[calls.IndexOf("update_payment_method_m") - 1]);
        var audit = await _host.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice);
        Assert.Contains(audit, e => e.Call == "update_payment_method_m" && e.Outcome == AuditOutcome.Committed && e.Detail == $"disable payment method {Backup}");
    }

    [Fact]
    public async Task A_group_conversation_is_refused_and_no_account_is_read()
    {
        var group = _host.Conversation(userId: "user9", conversationId: "19:team@thread.tacv2", channelId: Channels.Msteams, conversationType: "channel", isGroup: true);
        var replies = AssistantConversation.Texts(await group.SayAsync("update my card"));
        Assert.DoesNotContain(replies, text => text.Contains("ending", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "get_acct_payment_methods_and_terms_m");
    }

    [Fact]
    public async Task Spanish_lists_and_offers_in_Spanish()
    {
        var chat = _host.Conversation(conversationId: "convo-es", locale: "es-ES");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"));
        var listed = string.Join("\n", AssistantConversation.Texts(await chat.SayAsync("cambiar mi tarjeta")));
        Assert.Contains("Visa terminada en 4242, caduca 08/", listed, StringComparison.Ordinal);
        var link = await chat.ClickAsync("Cambiar mi tarjeta");
        var card = link.Single(reply => reply.Attachments is { Count: > 0 }).Attachments![0].ContentAs<HeroCard>()!;
        Assert.Equal("Introduce tu tarjeta en nuestra página segura", card.Title);
    }

    [Fact]
    public async Task A_card_number_typed_in_the_chat_is_not_echoed_and_points_to_the_secure_page()
    {
        await _chat.SayAsync("update my card");
        var replies = await _chat.SayAsync($"here it is {PaymentMethodPageTests.TestCardTyped}");
        var texts = AssistantConversation.Texts(replies);
        Assert.Contains(texts, text => text.Contains("secure page", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, text => text.Contains("5556", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "update_payment_method_m");
        // On Teams the message stays in the channel's history: the customer is asked to delete it.
        var teams = _host.Conversation(conversationId: "teams-1", channelId: Channels.Msteams);
        var warned = AssistantConversation.Texts(await teams.SayAsync(PaymentMethodPageTests.TestCardTyped));
        Assert.Contains(warned, text => text.Contains("please delete that message", StringComparison.Ordinal));
    }

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task A_business_that_accepts_no_cards_sends_no_link()
        {
            // Set in code: configuration binding appends to the option's default list ([1]) rather than replacing it.
            await using var host = new AssistantTestHost(services: services =>
                services.PostConfigure<AriaBot.SelfService.SelfServiceOptions>(options => options.AcceptedPaymentMethodTypes = [2]));
            var chat = host.Conversation();
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
            await chat.SayAsync("update my card");
            var replies = await chat.ClickAsync("Replace my card");
            Assert.DoesNotContain(replies, reply => reply.Attachments is { Count: > 0 });
            Assert.Contains(AssistantConversation.Texts(replies), text => text.StartsWith("Cards can't be added here", StringComparison.Ordinal));
        }
    }
}
