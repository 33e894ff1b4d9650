using System.Net;
using AriaBot.Handoff;
using AriaBot.Privacy;
using AriaBot.Tests.Account.EmailChange;
using AriaBot.Tests.Handoff;
using AriaBot.Tests.PasswordReset;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Privacy;

/// <summary>
/// How long the "code first" rule holds code-like messages back (Privacy/AwaitedCodeMiddleware): only while the code
/// actually issued can be used — until it is used, it expires (15 min by default, not the link's 30 min nor the pending
/// marker's stored lifetime), or the flow is cancelled — and, for a reset, the same whether or not a code was sent (an
/// unknown user id). A message held while a person has the conversation shows in the agent's view as a placeholder,
/// never its digits. "pay 1000" is the probe: it may carry a code (four digits) but is no 8-digit code, so only the rule
/// (never the waiting dialog) answers it with "don't type the code here".
/// </summary>
public sealed class AwaitedCodeLifetimeTests
{
    private const string CodeInChat = "Please don't type the code here: enter it on the secure page instead.";
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    private static async Task<bool> HeldAsync(AssistantConversation chat) =>
        AssistantConversation.Texts(await chat.SayAsync("pay 1000")).Any(text => text.StartsWith(CodeInChat, StringComparison.Ordinal));

    [Fact]
    public async Task A_reset_holds_code_like_messages_until_its_code_expires_whether_or_not_the_user_id_exists()
    {
        await using var reset = new ResetHarness();
        var known = reset.Host.Conversation();
        var unknown = reset.Host.Conversation(userId: "user2", conversationId: "convo2");
        await reset.AskAsync(known, "alice");
        await reset.AskAsync(unknown, "nobody-by-that-name");
        await reset.DrainOutboxAsync();
        Assert.Single(reset.Mail());

        Assert.True(await HeldAsync(known));
        Assert.True(await HeldAsync(unknown));
        reset.Host.Time.Advance(CodeLifetime - TimeSpan.FromMinutes(1));
        Assert.True(await HeldAsync(known));
        Assert.True(await HeldAsync(unknown));

        // The code is over (the link still opens for 15 more minutes): nothing is awaited in chat any more.
        reset.Host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.False(await HeldAsync(known));
        Assert.False(await HeldAsync(unknown));
    }

    [Fact]
    public async Task A_reset_stops_holding_once_its_code_is_used_and_once_it_is_cancelled_and_a_cancelled_link_no_longer_opens()
    {
        await using var reset = new ResetHarness();
        var used = reset.Host.Conversation();
        var link = ResetHarness.LinkIn(await reset.AskAsync(used, "alice"));
        await reset.DrainOutboxAsync();
        Assert.True(await HeldAsync(used));
        using (var browser = reset.Host.NewBrowser())
        {
            Assert.Equal(HttpStatusCode.OK, (await reset.ResetOnPageAsync(browser, link, reset.CodeSentTo("alice@example.com"), "NewPassw0rd!23")).Status);
        }
        Assert.False(await HeldAsync(used));

        var cancelled = reset.Host.Conversation(userId: "user2", conversationId: "convo2");
        var cancelledLink = ResetHarness.LinkIn(await reset.AskAsync(cancelled, "bob"));
        await reset.DrainOutboxAsync();
        Assert.True(await HeldAsync(cancelled));
        await cancelled.SayAsync("cancel");
        Assert.False(await HeldAsync(cancelled));
        using var late = reset.Host.NewBrowser();
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(late, cancelledLink)).Status);
    }

    [Fact]
    public async Task An_e_mail_change_stops_holding_when_it_is_cancelled_and_when_its_code_expires()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        await change.AskAndSendAsync();
        await change.CodeSentToAsync();
        Assert.True(await HeldAsync(change.Chat));
        await change.Chat.SayAsync("cancel");
        Assert.False(await HeldAsync(change.Chat));
        // The probe began a payment (nothing held it any more): leave it before asking again.
        await change.Chat.SayAsync("cancel");

        await change.AskAndSendAsync();
        await change.CodeSentToAsync();
        change.Host.Time.Advance(CodeLifetime - TimeSpan.FromMinutes(1));
        Assert.True(await HeldAsync(change.Chat));
        change.Host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.False(await HeldAsync(change.Chat));
    }

    [Fact]
    public async Task A_held_message_shows_in_the_agents_view_as_a_placeholder_before_and_during_the_handoff_and_its_digits_never()
    {
        await using var reset = new ResetHarness(AgentConsole.Settings());
        var chat = reset.Host.Conversation();
        await reset.AskAsync(chat, "alice");
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");

        Assert.StartsWith(CodeInChat, AssistantConversation.Texts(await chat.SayAsync($"my code is {code}"))[0], StringComparison.Ordinal);
        await chat.SayAsync("talk to a human");
        var id = Assert.Single(await reset.Host.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: false, 10, CancellationToken.None)).Id;
        Assert.StartsWith(CodeInChat, AssistantConversation.Texts(await chat.SayAsync($"{code[..4]} {code[4..]}"))[0], StringComparison.Ordinal);

        using var dana = new AgentConsole(reset.Host);
        Assert.Equal(HttpStatusCode.NoContent, (await dana.SignInAsync("dana@example.com")).StatusCode);
        var seen = await dana.CaseAsync(id);
        Assert.Contains(seen.GetProperty("transcript").EnumerateArray(), line => line.GetProperty("text").GetString() == WithheldMessages.Placeholder);
        var during = Assert.Single(seen.GetProperty("messages").EnumerateArray(), line => line.GetProperty("from").GetString() == "customer");
        Assert.Equal(WithheldMessages.Placeholder, during.GetProperty("text").GetString());
        var raw = seen.GetRawText();
        Assert.DoesNotContain(code, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(code[..4] + " " + code[4..], raw, StringComparison.Ordinal);
    }
}
