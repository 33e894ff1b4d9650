using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// Opting in and out in web chat, and the held notice: shown when the customer next opens the chat signed in to the
/// account, saying only the kind, with one button whose turn checks the session before it shows anything.
/// </summary>
public sealed class WebChatNotificationTests : IAsyncLifetime
{
    private const string OptIn = "notify me about my account here";
    private AssistantTestHost _host = null!;
    private long _account;

    public async Task InitializeAsync()
    {
        _host = new AssistantTestHost();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        _account = (await _host.Bindings.GetAsync(new BindingKey(Channels.Webchat, "convo1", "user1")))!.AccountNo;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<int> SubscriptionsAsync() => (await _host.Storage.ReadPrefixAsync("notifications/subscriptions/", 100)).Count;

    private async Task<int> HeldAsync() => (await _host.Storage.ReadPrefixAsync("notifications/held/", 100)).Count;

    /// <summary>A new web chat, signed in to the same account (the portal's next visit).</summary>
    private async Task<AssistantConversation> ReopenSignedInAsync(string conversationId)
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, conversationId, "user1"));
        return _host.Conversation(conversationId: conversationId);
    }

    /// <summary>Invariant 1: only the client's catalogue (no account) may be read before the turn's validate_session_m.</summary>
    private static void AssertValidatedBeforeAnyAccountRead(List<string> calls)
    {
        var validation = calls.IndexOf("validate_session_m");
        Assert.True(validation >= 0 && calls.Count > validation + 1, string.Join(", ", calls));
        Assert.All(calls.Take(validation), call => Assert.True(call.StartsWith("get_client_", StringComparison.Ordinal) || call == "keep_alive_m", call));
    }

    [Fact]
    public async Task Opting_in_needs_a_signed_in_session_and_is_refused_in_a_group_conversation()
    {
        var signedOut = _host.Conversation(userId: "stranger", conversationId: "convo-x");
        var said = AssistantConversation.Texts(await signedOut.SayAsync(OptIn));
        Assert.Contains(said, text => text.Contains("sign in first", StringComparison.Ordinal));

        var group = _host.Conversation(conversationId: "19:team@thread.skype", channelId: Channels.Msteams, conversationType: "channel", isGroup: true);
        said = AssistantConversation.Texts(await group.SayAsync(OptIn));
        Assert.Contains(said, text => text.Contains("group conversations", StringComparison.Ordinal));

        Assert.Equal(0, await SubscriptionsAsync());
    }

    [Fact]
    public async Task A_queued_plan_change_taking_effect_is_held_and_shown_with_its_button_when_the_chat_opens_signed_in()
    {
        var said = AssistantConversation.Texts(await _host.Conversation().SayAsync(OptIn));
        Assert.Contains(said, text => text.Contains("next time you open the chat", StringComparison.Ordinal));

        // Queued for the anniversary (no notice: the customer asked for it), then assigned (the notice).
        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-queued", _account, [720]));
        await AriaEvents.SettleAsync(_host);
        Assert.Equal(0, await HeldAsync());
        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-assigned", _account, [724]));
        await AriaEvents.SettleAsync(_host);
        Assert.Equal(1, await HeldAsync());

        // A chat that is not signed in shows nothing, and the notice keeps waiting.
        var anonymous = AssistantConversation.Texts(await _host.Conversation(userId: "someone", conversationId: "convo-anon").OpenAsync());
        Assert.DoesNotContain(anonymous, text => text.Contains("plan change", StringComparison.Ordinal));
        Assert.Equal(1, await HeldAsync());

        var chat = await ReopenSignedInAsync("convo2");
        var opened = await chat.OpenAsync();
        var notice = Assert.Single(opened, reply => reply.Text == "A plan change you asked for has now taken effect.");
        var button = Assert.Single(notice.SuggestedActions!.Actions!);
        Assert.Equal("See what changed", button.Title);
        Assert.Equal(0, await HeldAsync());

        // Opening the chat again does not repeat it.
        Assert.DoesNotContain(await (await ReopenSignedInAsync("convo3")).OpenAsync(), reply => reply.Text == notice.Text);

        // The button's turn validates the session before reading anything of the account.
        var before = _host.Sandbox.Calls.All.Count;
        var shown = await chat.ClickAsync("See what changed");
        var calls = _host.Sandbox.Calls.All.Skip(before).Select(call => call.RestCall).Where(call => call != "keep_alive_m").ToList();
        Assert.NotEmpty(shown);
        AssertValidatedBeforeAnyAccountRead(calls);
    }

    [Fact]
    public async Task Update_card_starts_the_payment_method_flow_after_the_session_check()
    {
        await _host.Conversation().SayAsync(OptIn);
        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-expiring", _account, [714]));
        await AriaEvents.SettleAsync(_host);

        var chat = await ReopenSignedInAsync("convo2");
        var notice = Assert.Single(await chat.OpenAsync(), reply => reply.Text == "The card on your account is about to expire.");
        Assert.Equal("Update card", Assert.Single(notice.SuggestedActions!.Actions!).Title);

        var before = _host.Sandbox.Calls.All.Count;
        var flow = AssistantConversation.Texts(await chat.ClickAsync("Update card"));
        Assert.Contains(flow, text => text.Contains("Here is what you have on file", StringComparison.Ordinal));
        AssertValidatedBeforeAnyAccountRead([.. _host.Sandbox.Calls.All.Skip(before).Select(call => call.RestCall)]);
    }

    [Fact]
    public async Task A_signed_out_click_on_the_button_shows_nothing_of_the_account()
    {
        var stranger = _host.Conversation(userId: "stranger", conversationId: "convo-s");
        await stranger.OpenAsync();
        var before = _host.Sandbox.Calls.All.Count;

        var said = AssistantConversation.Texts(await stranger.SayAsync("Update payment method"));

        Assert.DoesNotContain(said, text => text.Contains("on file", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Sandbox.Calls.All.Skip(before), call => call.RestCall.StartsWith("get_acct", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_opted_out_customer_hears_nothing_and_stopping_works_from_a_chat_that_is_not_signed_in()
    {
        await _host.Conversation().SayAsync(OptIn);
        Assert.Equal(1, await SubscriptionsAsync());

        // Signed in elsewhere (another browser tab's chat, never signed in here), "stop" still ends this chat's own subscription…
        var said = AssistantConversation.Texts(await _host.Conversation(userId: "user9", conversationId: "convo9").SayAsync("stop notifications"));
        Assert.Contains(said, text => text.Contains("nothing to stop", StringComparison.Ordinal));
        Assert.Equal(1, await SubscriptionsAsync());

        // …and signed in, it ends the account's.
        said = AssistantConversation.Texts(await _host.Conversation().SayAsync("Stop notifications!"));
        Assert.Contains(said, text => text.Contains("won't get account notifications", StringComparison.Ordinal));
        Assert.Equal(0, await SubscriptionsAsync());

        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-after-stop", _account, [714]));
        await AriaEvents.SettleAsync(_host);
        Assert.Equal(0, await HeldAsync());
    }

    [Fact]
    public async Task Spanish_opt_in_and_notice()
    {
        var chat = _host.Conversation(locale: "es-ES");
        var said = AssistantConversation.Texts(await chat.SayAsync("Avísame de mi cuenta aquí"));
        Assert.Contains(said, text => text.Contains("próxima vez que abras el chat", StringComparison.Ordinal));

        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-es", _account, [714]));
        await AriaEvents.SettleAsync(_host);
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"));
        var opened = await _host.Conversation(conversationId: "convo-es", locale: "es-ES").OpenAsync();
        var notice = Assert.Single(opened, reply => reply.Text == "La tarjeta de tu cuenta está a punto de caducar.");
        Assert.Equal("Actualizar tarjeta", Assert.Single(notice.SuggestedActions!.Actions!).Title);
    }
}
