using System.Net;
using AriaBot.Audit;
using AriaBot.Tests.PasswordReset;
using AriaBot.Tests.Payments;

namespace AriaBot.Tests.Account.EmailChange;

/// <summary>
/// The verified change of the account e-mail (issue 16), through the whole bot, the sandbox Aria and a real SMTP server:
/// nothing is written before the code sent to the new address is entered on the page; the old address is told when the
/// change is asked for and when it is done; the write goes once through the shared confirmation; the reset rule learns of
/// the previous address; and the code is nowhere but in the e-mail.
/// </summary>
public sealed class AccountEmailChangeTests
{
    [Fact]
    public async Task The_change_is_written_once_only_after_the_code_sent_to_the_new_address_is_entered_on_the_page()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        var question = await change.AskAsync();
        Assert.Contains("change bob@example.com → bob.new@example.net?", question, StringComparison.Ordinal);

        var sent = await change.Chat.SayAsync("yes");
        Assert.Contains("I've sent an 8-digit code to bob.new@example.net and told bob@example.com", PaymentText.Of(sent), StringComparison.Ordinal);
        var link = ResetHarness.LinkIn(sent);
        Assert.Equal("http://localhost/email-change", link.GetLeftPart(UriPartial.Path));
        var code = await change.CodeSentToAsync();

        // The old address was told at once, without the code or the whole new address.
        var requested = change.Mail.Mail().Single(m => m.Subject == "A change of your account e-mail was requested");
        Assert.Equal(EmailChangeHarness.Old, requested.To.Mailboxes.Single().Address);
        Assert.Contains("b***@example.net", requested.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(code, requested.TextBody, StringComparison.Ordinal);

        // Before the page: nothing written, and chatting does not change that.
        Assert.Contains("still waiting for the code", PaymentText.Of(await change.Chat.SayAsync("is it done?")), StringComparison.Ordinal);
        Assert.Equal(0, change.Writes);

        var browser = change.Host.NewBrowser();
        var verified = await EmailChangeHarness.EnterCodeAsync(browser, link, code);
        Assert.Equal(HttpStatusCode.OK, verified.Status);
        Assert.Contains("Address confirmed", verified.Text, StringComparison.Ordinal);
        Assert.Equal("no-store", verified.Response.Headers.CacheControl!.ToString());
        Assert.Equal(0, change.Writes);
        Assert.Equal(EmailChangeHarness.Old, change.Bobs.AccountContact.Email);

        var card = PaymentText.Of(await change.Chat.SayAsync("continue"));
        Assert.Contains("bob@example.com → bob.new@example.net", card, StringComparison.Ordinal);
        var done = await change.Chat.ClickAsync("Confirm");
        Assert.Contains("Done! Account contact: E-mail is now bob.new@example.net.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(1, change.Writes);
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);
        var audit = Assert.Single(await PaymentText.AuditAsync(change.Host, EmailChangeHarness.Bob));
        Assert.Equal((AuditOutcome.Committed, "update_contact_m"), (audit.Outcome, audit.Call));

        // The old address hears that it is done; the link is spent.
        await change.Mail.DrainOutboxAsync();
        var told = change.Mail.Mail().Single(m => m.Subject == "Your account e-mail was changed");
        Assert.Equal(EmailChangeHarness.Old, told.To.Mailboxes.Single().Address);
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(change.Host.NewBrowser(), link)).Status);
    }

    [Fact]
    public async Task The_code_reaches_the_mail_server_and_nowhere_else_even_when_typed_into_the_chat()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();

        var typed = await change.Chat.SayAsync(code);
        Assert.Contains("Please don't type the code here: enter it on the secure page instead.", PaymentText.Of(typed), StringComparison.Ordinal);
        var browser = change.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await EmailChangeHarness.PostCodeAsync(browser, form, EmailChangeHarness.WrongCode(code))).Status);
        var verified = await EmailChangeHarness.EnterCodeAsync(browser, link, code);
        Assert.Equal(HttpStatusCode.OK, verified.Status);
        await change.Chat.SayAsync("continue");
        await change.Chat.ClickAsync("Confirm");
        await change.Mail.DrainOutboxAsync();

        Assert.DoesNotContain(code, await change.Mail.EverythingStoredAsync(), StringComparison.Ordinal);
        foreach (var line in change.Host.Logs.GetSnapshot())
        {
            Assert.DoesNotContain(code, line.Message, StringComparison.Ordinal);
        }
        foreach (var activity in change.Chat.Said)
        {
            Assert.DoesNotContain(code, System.Text.Json.JsonSerializer.Serialize(activity), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(code, verified.Html, StringComparison.Ordinal);
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_change_and_nothing_is_written()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();
        var browser = change.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        for (var wrong = 1; wrong < 5; wrong++)
        {
            var page = await EmailChangeHarness.PostCodeAsync(browser, form, EmailChangeHarness.WrongCode(code));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
            Assert.Contains($"You have {5 - wrong} tries left.", page.Text, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await EmailChangeHarness.PostCodeAsync(browser, form, EmailChangeHarness.WrongCode(code))).Status);
        // Locked: the right code no longer works either.
        Assert.Equal(HttpStatusCode.Gone, (await EmailChangeHarness.PostCodeAsync(browser, form, code)).Status);

        Assert.Contains("Too many wrong codes were entered", PaymentText.Of(await change.Chat.SayAsync("done")), StringComparison.Ordinal);
        Assert.Equal(0, change.Writes);
        Assert.Equal(EmailChangeHarness.Old, change.Bobs.AccountContact.Email);
    }

    [Fact]
    public async Task An_expired_code_is_refused_and_nothing_is_written()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();
        change.Host.Time.Advance(TimeSpan.FromMinutes(16));
        var page = await EmailChangeHarness.EnterCodeAsync(change.Host.NewBrowser(), link, code);
        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Contains("The code has expired", page.Text, StringComparison.Ordinal);
        Assert.Equal(0, change.Writes);
    }

    [Fact]
    public async Task No_sends_nothing_and_writes_nothing()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        await change.AskAsync();
        Assert.Contains("OK, I haven't changed anything.", PaymentText.Of(await change.Chat.SayAsync("no")), StringComparison.Ordinal);
        await change.Mail.DrainOutboxAsync();
        Assert.Empty(change.Mail.Mail());
        Assert.Equal(0, change.Writes);
    }

    [Fact]
    public async Task A_fourth_code_for_the_account_in_a_day_is_refused()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await change.AskAndSendAsync();
            // Sent before the next request replaces it (a replaced change's code is never sent).
            await change.Mail.DrainOutboxAsync();
            await change.Chat.SayAsync("cancel");
        }
        await change.AskAsync();
        var refused = await change.Chat.SayAsync("yes");
        Assert.Contains("I've already sent as many codes for your account today", PaymentText.Of(refused), StringComparison.Ordinal);
        await change.Mail.DrainOutboxAsync();
        Assert.Equal(3, change.Mail.Mail().Count(m => m.Subject == EmailChangeHarness.CodeSubject));
    }

    [Fact]
    public async Task After_the_change_a_password_reset_code_also_goes_to_the_previous_address()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();
        await EmailChangeHarness.EnterCodeAsync(change.Host.NewBrowser(), link, code);
        await change.Chat.SayAsync("continue");
        await change.Chat.ClickAsync("Confirm");
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);

        var other = change.Host.Conversation(userId: "user2", conversationId: "convo2");
        await change.Mail.AskAsync(other, "bob");
        await change.Mail.DrainOutboxAsync();
        var resetCodes = change.Mail.Mail().Where(m => m.Subject == "Your password reset code").SelectMany(m => m.To.Mailboxes.Select(box => box.Address)).ToList();
        Assert.Contains(EmailChangeHarness.New, resetCodes);
        Assert.Contains(EmailChangeHarness.Old, resetCodes);
    }

    [Fact]
    public async Task Switched_off_the_account_email_is_refused_in_chat_with_a_reason()
    {
        await using var change = await EmailChangeHarness.StartAsync(new() { ["AccountEmailChange:Enabled"] = "false" });
        await change.Chat.SayAsync("update my email");
        var refused = await change.Chat.ClickAsync("Account contact");
        Assert.Contains("the account e-mail can't be changed in chat", PaymentText.Of(refused), StringComparison.Ordinal);
        Assert.Equal(0, change.Writes);
    }

    [Fact]
    public async Task In_Spanish_the_question_and_the_code_e_mail_are_in_Spanish()
    {
        await using var change = await EmailChangeHarness.StartAsync(locale: "es-ES");
        await change.Chat.SayAsync("actualizar mi correo");
        await change.Chat.ClickAsync("Contacto de la cuenta");
        var question = PaymentText.Of(await change.Chat.SayAsync(EmailChangeHarness.New));
        Assert.Contains("¿cambiar bob@example.com → bob.new@example.net?", question, StringComparison.Ordinal);
        await change.Chat.SayAsync("sí");
        await change.Mail.DrainOutboxAsync();
        Assert.Contains(change.Mail.Mail(), m => m.Subject == "Confirma tu nueva dirección de correo");
    }
}
