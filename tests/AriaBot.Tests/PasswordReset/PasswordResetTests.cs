using System.Net;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Catalog;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.PasswordReset;

/// <summary>Issue 17's "must show", through the whole bot, the sandbox Aria and a real SMTP server (netDumbster).</summary>
public sealed class PasswordResetTests
{
    private const string Sent = "If that user id belongs to an account with an e-mail address on file, I've just sent an 8-digit code there. Open the secure page to enter it and choose a new password.";
    private const string NewPassword = "Fresh-start-2026";

    [Fact]
    public async Task Known_unknown_and_inactive_user_ids_get_identical_replies_and_only_the_known_active_account_gets_mail()
    {
        await using var reset = new ResetHarness();
        var replies = await RepliesForAsync(reset);
        Assert.Equal(Sent + "|Choose a new password|The code works for 15 minutes. Enter it only on the page, never here in the chat. When you're done, come back and tell me.", replies[0]);
        Assert.All(replies, reply => Assert.Equal(replies[0], reply));

        await reset.DrainOutboxAsync();
        var only = Assert.Single(reset.Mail());
        Assert.Equal("alice@example.com", only.To.Mailboxes.Single().Address);
        Assert.Equal("no-reply@example.com", only.From.Mailboxes.Single().Address);
        Assert.NotNull(only.HtmlBody);
        Assert.DoesNotContain("<img", only.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", only.HtmlBody, StringComparison.OrdinalIgnoreCase);
        // The lookups were made, from the outbox, for all three.
        Assert.Equal(3, reset.Host.Sandbox.Calls.Count("get_acct_no_from_user_id_m"));
    }

    [Fact]
    public async Task The_reply_never_waits_on_Aria_a_latency_fault_on_the_lookup_does_not_hold_it_up()
    {
        await using var reset = new ResetHarness();
        // The names the understander knows are read at start-up, before Aria turns slow (and never by a turn after:
        // UnderstandingCatalogTests); only what the reset itself calls is left to show up in the sandbox's log.
        await reset.Host.Services.GetRequiredService<IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        reset.Host.Sandbox.Calls.Clear();
        // Every Aria call now takes an hour: a reply that waited on the lookup would never come.
        reset.Host.Sandbox.Faults.Latency = TimeSpan.FromHours(1);
        var replies = await RepliesForAsync(reset);
        Assert.All(replies, reply => Assert.StartsWith(Sent, reply, StringComparison.Ordinal));
        // The sandbox logs a call when it answers: none was, so no reply waited on one.
        Assert.Empty(reset.Host.Sandbox.Calls.All);
    }

    /// <summary>The replies to a reset for a known, an unknown and an inactive user id (each in its own chat): text, card title, card text.</summary>
    private static async Task<List<string>> RepliesForAsync(ResetHarness reset)
    {
        var replies = new List<string>();
        var conversation = 0;
        foreach (var userId in new[] { "alice", "nobody-here", "dave" })
        {
            var chat = reset.Host.Conversation(conversationId: $"convo-{++conversation}");
            // A bound, not a timing: the turn either answers or hangs on Aria.
            var answer = await reset.AskAsync(chat, userId).WaitAsync(TimeSpan.FromSeconds(60));
            var card = ResetHarness.LinkIn(answer);
            Assert.Equal("http://localhost/password-reset", card.GetLeftPart(UriPartial.Path));
            var hero = answer.Single(a => a.Attachments is { Count: > 0 }).Attachments![0].ContentAs<HeroCard>()!;
            replies.Add(string.Join("|", AssistantConversation.Texts(answer)) + "|" + hero.Title + "|" + hero.Text);
        }
        return replies;
    }

    [Fact]
    public async Task Spanish_works_the_same_way_and_the_code_e_mail_is_in_Spanish()
    {
        await using var reset = new ResetHarness();
        var chat = reset.Host.Conversation(locale: "es-ES");
        var ask = await chat.SayAsync("olvidé mi contraseña");
        Assert.StartsWith("Te ayudo a elegir una contraseña nueva.", AssistantConversation.Texts(ask).Single(), StringComparison.Ordinal);
        var answer = await chat.SayAsync("alice");
        Assert.StartsWith("Si ese usuario corresponde a una cuenta", AssistantConversation.Texts(answer).Single(), StringComparison.Ordinal);
        await reset.DrainOutboxAsync();
        Assert.Equal("Tu código para restablecer la contraseña", Assert.Single(reset.Mail()).Subject);
    }

    [Fact]
    public async Task The_code_reaches_the_mail_server_and_nowhere_else()
    {
        await using var reset = new ResetHarness();
        var chat = reset.Host.Conversation();
        var link = ResetHarness.LinkIn(await reset.AskAsync(chat, "alice"));
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");

        // A wrong code and then the right one on the page, then the chat goes on: none of it may keep the code.
        var browser = reset.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ResetHarness.PostAsync(browser, form, "00000000" == code ? "11111111" : "00000000", NewPassword)).Status);
        var changed = await reset.ResetOnPageAsync(browser, link, code, NewPassword);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        var after = await chat.SayAsync("done");
        await reset.DrainOutboxAsync();

        Assert.DoesNotContain(code, await reset.EverythingStoredAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, await reset.EverythingStoredAsync(), StringComparison.Ordinal);
        foreach (var line in reset.Host.Logs.GetSnapshot())
        {
            Assert.DoesNotContain(code, line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(NewPassword, line.Message, StringComparison.Ordinal);
        }
        foreach (var activity in chat.Said)
        {
            Assert.DoesNotContain(code, System.Text.Json.JsonSerializer.Serialize(activity), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(code, changed.Html, StringComparison.Ordinal);
        // The customer was told their password changed: the notice went to the account's address, without a code.
        var notice = reset.Mail().Single(m => m.Subject == "Your password was changed");
        Assert.Equal("alice@example.com", notice.To.Mailboxes.Single().Address);
        Assert.DoesNotContain(code, notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Your password has been changed", AssistantConversation.Texts(after)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_code_and_the_right_one_no_longer_works()
    {
        await using var reset = new ResetHarness();
        var link = ResetHarness.LinkIn(await reset.AskAsync(reset.Host.Conversation(), "alice"));
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");
        var wrong = code == "12345678" ? "87654321" : "12345678";
        var browser = reset.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var page = await ResetHarness.PostAsync(browser, form, wrong, NewPassword);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
            Assert.Contains(attempt == 4 ? "You have 1 try left." : $"You have {5 - attempt} tries left.", page.Text, StringComparison.Ordinal);
        }
        var fifth = await ResetHarness.PostAsync(browser, form, wrong, NewPassword);
        Assert.Equal(HttpStatusCode.Forbidden, fifth.Status);
        Assert.Contains("Too many wrong codes", fifth.Text, StringComparison.Ordinal);

        var right = await ResetHarness.PostAsync(browser, form, code, NewPassword);
        Assert.Equal(HttpStatusCode.Forbidden, right.Status);
        Assert.Equal(0, reset.Host.Sandbox.Calls.Count("update_acct_credentials_m"));
        Assert.False(await SignsInAsync(reset, "alice", NewPassword));
    }

    [Fact]
    public async Task A_fourth_code_for_one_user_id_in_a_day_is_refused_with_a_clear_message()
    {
        await using var reset = new ResetHarness();
        for (var conversation = 1; conversation <= 3; conversation++)
        {
            Assert.Equal([Sent], AssistantConversation.Texts(await reset.AskAsync(reset.Host.Conversation(conversationId: $"c{conversation}"), "Alice")));
        }
        var fourth = await reset.AskAsync(reset.Host.Conversation(conversationId: "c4"), "alice");
        Assert.Equal("Too many codes have been sent for that user id today. Please try again tomorrow, or ask for a person if you need help now.", AssistantConversation.Texts(fourth)[0]);
        await reset.DrainOutboxAsync();
        Assert.Equal(3, reset.Mail().Count);

        reset.Host.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal([Sent], AssistantConversation.Texts(await reset.AskAsync(reset.Host.Conversation(conversationId: "c5"), "alice")));
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        await using var reset = new ResetHarness();
        var link = ResetHarness.LinkIn(await reset.AskAsync(reset.Host.Conversation(), "alice"));
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");
        reset.Host.Time.Advance(TimeSpan.FromMinutes(16));
        var page = await reset.ResetOnPageAsync(reset.Host.NewBrowser(), link, code, NewPassword);
        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Contains("That code has expired or was already used.", page.Text, StringComparison.Ordinal);
        Assert.Equal(0, reset.Host.Sandbox.Calls.Count("update_acct_credentials_m"));
    }

    [Fact]
    public async Task A_used_code_and_its_link_are_refused_the_second_time()
    {
        await using var reset = new ResetHarness();
        var link = ResetHarness.LinkIn(await reset.AskAsync(reset.Host.Conversation(), "alice"));
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");
        var browser = reset.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, (await ResetHarness.PostAsync(browser, form, code, NewPassword)).Status);

        var again = await ResetHarness.PostAsync(browser, form, code, "Another-one-2026");
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(browser, link)).Status);
        Assert.Equal(1, reset.Host.Sandbox.Calls.Count("update_acct_credentials_m"));
        Assert.True(await SignsInAsync(reset, "alice", NewPassword));
    }

    [Fact]
    public async Task Afterwards_a_binding_made_before_no_longer_acts_the_new_password_signs_in_and_the_old_does_not()
    {
        await using var reset = new ResetHarness();
        // An attacker's (or a forgotten) chat, signed in to alice's account before the reset.
        var before = new BindingKey(Channels.Webchat, "someone-elses-chat", "intruder");
        var oldSession = await reset.Host.BindDirectlyAsync(before);

        var chat = reset.Host.Conversation();
        var link = ResetHarness.LinkIn(await reset.AskAsync(chat, "alice"));
        var early = await chat.SayAsync("did it work?");
        Assert.Equal(["Your password hasn't been changed yet. Enter the code from the e-mail on the page I sent you, then tell me here."], AssistantConversation.Texts(early));
        await reset.DrainOutboxAsync();
        var page = await reset.ResetOnPageAsync(reset.Host.NewBrowser(), link, reset.CodeSentTo("alice@example.com"), NewPassword);
        Assert.Contains("Your password has been changed.", page.Text, StringComparison.Ordinal);

        Assert.Null(await reset.Host.Bindings.GetAsync(before));
        Assert.False(reset.Host.IsSessionLive(oldSession));
        var intruder = reset.Host.Conversation(userId: "intruder", conversationId: "someone-elses-chat");
        var intruderReplies = await intruder.SayAsync("switch my plan");
        Assert.Contains(intruderReplies, reply => reply.Attachments is { Count: > 0 } && reply.Attachments[0].ContentAs<HeroCard>()!.Title == "Sign in to your account");

        Assert.True(await SignsInAsync(reset, "alice", NewPassword));
        Assert.False(await SignsInAsync(reset, "alice", "alice-demo-1"));

        // The chat that asked offers the normal sign-in, and the new password works there.
        var next = await chat.SayAsync("done");
        Assert.Equal("Your password has been changed, and every chat that was signed in to your account has been signed out. Let's sign you in with your new password.", AssistantConversation.Texts(next)[0]);
        var signIn = AssistantTestHost.LinkIn(next.Single(reply => reply.Attachments is { Count: > 0 }));
        var codePage = await AssistantTestHost.SignInOnPageAsync(reset.Host.NewBrowser(), signIn, "alice", NewPassword);
        Assert.NotNull(codePage.Code);
        Assert.Contains("Thanks, you're signed in.", AssistantConversation.Texts(await chat.SayAsync(codePage.Code)));

        var audit = await reset.Host.Services.GetRequiredService<AriaBot.Audit.IAuditLog>().ReadAsync(1000001);
        var entry = Assert.Single(audit, e => e.Call == "update_acct_credentials_m");
        Assert.Equal(AriaBot.Audit.AuditOutcome.Committed, entry.Outcome);
    }

    [Fact]
    public async Task A_group_conversation_is_refused_and_nothing_is_queued()
    {
        await using var reset = new ResetHarness();
        var group = reset.Host.Conversation(isGroup: true, conversationType: "groupChat");
        var replies = await group.SayAsync("I forgot my password");
        Assert.Equal("For your security, I can only reset a password in a private chat with me. Send me a direct message and we'll do it there.", AssistantConversation.Texts(replies)[0]);
        Assert.Empty(await reset.Host.Storage.ReadPrefixAsync("outbox/jobs/", 10));
        Assert.Empty(await reset.Host.Storage.ReadPrefixAsync("reset/", 10));
    }

    [Fact]
    public async Task Passwords_that_break_the_rules_are_refused_without_using_a_try_and_the_rules_are_shown()
    {
        await using var reset = new ResetHarness();
        var link = ResetHarness.LinkIn(await reset.AskAsync(reset.Host.Conversation(), "alice"));
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");
        var browser = reset.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Contains("be 10 to 64 characters long", form.Text, StringComparison.Ordinal);
        Assert.Contains("contain both letters and digits", form.Text, StringComparison.Ordinal);
        Assert.Equal("no-store", form.Response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", form.Response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", form.Response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var tooShort = await ResetHarness.PostAsync(browser, form, code, "short1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.Status);
        Assert.Contains("doesn't meet the rules", tooShort.Text, StringComparison.Ordinal);
        var differ = await ResetHarness.PostAsync(browser, form, code, NewPassword, NewPassword + "x");
        Assert.Contains("The two passwords don't match.", differ.Text, StringComparison.Ordinal);
        // Without the antiforgery cookie (another browser), the post is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await ResetHarness.PostAsync(reset.Host.NewBrowser(), form, code, NewPassword)).Status);

        Assert.Equal(HttpStatusCode.OK, (await ResetHarness.PostAsync(browser, form, code, NewPassword)).Status);
    }

    private static async Task<bool> SignsInAsync(ResetHarness reset, string userId, string password)
    {
        var aria = reset.Host.Services.GetRequiredService<IAriaClient>();
        var result = await aria.SetSessionAuthAsync(new SetSessionAuthMRequest { UserId = userId, Password = password });
        return result.IsSuccess && !string.IsNullOrEmpty(result.Value!.SessionId);
    }
}
