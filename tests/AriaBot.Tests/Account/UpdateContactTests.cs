using AriaBot.Audit;
using AriaBot.Session;
using AriaBot.Tests.Payments;
using Aria.Sandbox.State;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account;

/// <summary>
/// Updating contact information, turn by turn against the sandbox: each contact kind, values re-asked until usable,
/// old → new on the shared confirmation, "no" and an expired session writing nothing, exactly one write, es-ES, and
/// the refusals (group conversations) and the account e-mail's code first. Bob (US) has phone +1 512 555 0102, postal code 73301 and
/// e-mail bob@example.com on every contact.
/// </summary>
public sealed class UpdateContactTests : IAsyncLifetime
{
    private const long Bob = 1000002;

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Aria.Sandbox.State.Account Bobs => _host.Sandbox.Account(Bob);

    private int Writes => _host.Sandbox.Calls.Count("update_contact_m");

    [Fact]
    public async Task A_billing_phone_typed_locally_is_shown_old_to_new_in_E164_and_written_once_and_audited()
    {
        var asked = await _chat.SayAsync("new phone number");
        Assert.Contains("Which contact would you like to update?", PaymentText.Of(asked), StringComparison.Ordinal);
        var value = await _chat.ClickAsync("Billing contact");
        Assert.Contains("What's the new Phone number? Now it's +1 512 555 0102.", PaymentText.Of(value), StringComparison.Ordinal);

        var card = await _chat.SayAsync("(512) 555-0199");
        var text = PaymentText.Of(card);
        Assert.Contains("Update contact details: Billing contact", text, StringComparison.Ordinal);
        Assert.Contains("+1 512 555 0102 → +15125550199", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$0.00", text, StringComparison.Ordinal);
        Assert.Equal(0, Writes);

        var done = await _chat.ClickAsync("Confirm");
        Assert.Contains("Done! Billing contact: Phone number is now +15125550199.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes);
        Assert.Equal("+15125550199", Bobs.BillingGroups[0].BillingContact.Phone);
        Assert.Equal("+1 512 555 0102", Bobs.AccountContact.Phone);
        var audit = Assert.Single(await PaymentText.AuditAsync(_host, Bob));
        Assert.Equal((AuditOutcome.Committed, "update_contact_m"), (audit.Outcome, audit.Call));
    }

    [Fact]
    public async Task A_statement_postal_code_is_re_asked_until_it_fits_the_country()
    {
        await _chat.SayAsync("update my contact details");
        await _chat.ClickAsync("Statement contact");
        await _chat.ClickAsync("Postal code");
        var bad = await _chat.SayAsync("ABC-12");
        Assert.Contains("That doesn't look like a postal code for this contact's country.", PaymentText.Of(bad), StringComparison.Ordinal);
        Assert.Contains("Please type the new Postal code", PaymentText.Of(bad), StringComparison.Ordinal);
        var card = await _chat.SayAsync("78701");
        Assert.Contains("73301 → 78701", PaymentText.Of(card), StringComparison.Ordinal);
        await _chat.ClickAsync("Confirm");
        Assert.Equal("78701", Bobs.BillingGroups[0].StatementContact.PostalCd);
        Assert.Equal("73301", Bobs.AccountContact.PostalCd);
    }

    [Fact]
    public async Task The_account_country_is_taken_by_name_and_sent_as_ISO_2()
    {
        await _chat.SayAsync("update my contact details");
        await _chat.ClickAsync("Account contact");
        await _chat.ClickAsync("Country");
        Assert.Contains("I don't know that country.", PaymentText.Of(await _chat.SayAsync("Atlantis")), StringComparison.Ordinal);
        var card = await _chat.SayAsync("Spain");
        Assert.Contains("US → ES", PaymentText.Of(card), StringComparison.Ordinal);
        await _chat.ClickAsync("Confirm");
        Assert.Equal("ES", Bobs.AccountContact.CountryCd);
    }

    [Fact]
    public async Task A_bad_billing_email_is_re_asked_and_no_at_the_card_writes_nothing()
    {
        await _chat.SayAsync("update my email");
        await _chat.ClickAsync("Billing contact");
        Assert.Contains("That doesn't look like an e-mail address", PaymentText.Of(await _chat.SayAsync("bob at example")), StringComparison.Ordinal);
        var card = await _chat.SayAsync("bob.billing@example.org");
        Assert.Contains("bob@example.com → bob.billing@example.org", PaymentText.Of(card), StringComparison.Ordinal);

        var declined = await _chat.SayAsync("no");
        Assert.Contains("OK, I haven't changed anything.", PaymentText.Of(declined), StringComparison.Ordinal);
        Assert.Equal(0, Writes);
        Assert.Equal("bob@example.com", Bobs.BillingGroups[0].BillingContact.Email);
        Assert.Empty(await PaymentText.AuditAsync(_host, Bob));
    }

    [Fact]
    public async Task The_account_email_is_not_written_from_the_chat_alone_a_code_to_the_new_address_comes_first()
    {
        // The verified change itself: tests/AriaBot.Tests/Account/EmailChange.
        await _chat.SayAsync("update my email");
        await _chat.ClickAsync("Account contact");
        var asked = await _chat.SayAsync("bob.new@example.net");
        Assert.Contains("I'll send a code to bob.new@example.net and let bob@example.com know", PaymentText.Of(asked), StringComparison.Ordinal);
        Assert.Equal(0, Writes);
        Assert.Equal("bob@example.com", Bobs.AccountContact.Email);
    }

    [Fact]
    public async Task A_session_that_expired_after_the_card_offers_sign_in_and_writes_nothing()
    {
        await _chat.SayAsync("new phone number");
        await _chat.ClickAsync("Account contact");
        await _chat.SayAsync("+44 20 7946 0958");
        _host.Time.Advance(TimeSpan.FromMinutes(31)); // the demo client's sessions last 30 minutes

        var signIn = await _chat.ClickAsync("Confirm");
        Assert.NotNull(AssistantTestHost.LinkIn(signIn.First(reply => reply.Attachments is { Count: > 0 })));
        Assert.Equal(0, Writes);
        Assert.Equal("+1 512 555 0102", Bobs.AccountContact.Phone);
    }

    [Fact]
    public async Task Aria_saying_1011_at_the_write_writes_nothing_and_after_the_session_check_a_fresh_card_is_confirmed()
    {
        await _chat.SayAsync("new phone number");
        await _chat.ClickAsync("Account contact");
        await _chat.SayAsync("+44 20 7946 0958");
        _host.Sandbox.Faults.FailNext("update_contact_m", 1011);

        var again = await _chat.ClickAsync("Confirm");
        Assert.Contains("+1 512 555 0102 → +442079460958", PaymentText.Of(again), StringComparison.Ordinal);
        Assert.Equal("+1 512 555 0102", Bobs.AccountContact.Phone);

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _chat.ClickAsync("Confirm");
        Assert.Equal("+442079460958", Bobs.AccountContact.Phone);
        Assert.Equal(1, Writes);
    }

    [Fact]
    public async Task A_lost_reply_is_settled_by_reading_the_contact_and_not_sent_again()
    {
        await _chat.SayAsync("update my contact details");
        await _chat.ClickAsync("Billing contact");
        await _chat.ClickAsync("Postal code");
        await _chat.SayAsync("10001");
        _host.Sandbox.Faults.LoseResponseNext("update_contact_m");

        var told = await _chat.ClickAsync("Confirm");
        Assert.Equal("10001", Bobs.BillingGroups[0].BillingContact.PostalCd);
        Assert.Equal(1, Writes);
        Assert.Contains("Billing contact: Postal code is now 10001", PaymentText.Of(told), StringComparison.Ordinal);
        var audit = Assert.Single(await PaymentText.AuditAsync(_host, Bob));
        Assert.Equal(AuditOutcome.Committed, audit.Outcome);
    }

    [Fact]
    public async Task In_Spanish_the_phone_is_updated_with_Spanish_words()
    {
        var chat = _host.Conversation(conversationId: "convo-es", locale: "es-ES");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"), "bob", "bob-demo-1");
        Assert.Contains("¿Qué contacto quieres actualizar?", PaymentText.Of(await chat.SayAsync("nuevo número de teléfono")), StringComparison.Ordinal);
        await chat.ClickAsync("Contacto de facturación");
        Assert.Contains("Eso no parece un número de teléfono.", PaymentText.Of(await chat.SayAsync("llámame")), StringComparison.Ordinal);
        var card = await chat.SayAsync("+34 600 123 456");
        Assert.Contains("Actualizar datos de contacto: Contacto de facturación", PaymentText.Of(card), StringComparison.Ordinal);
        Assert.Contains("+1 512 555 0102 → +34600123456", PaymentText.Of(card), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("¡Hecho! Contacto de facturación: «Teléfono» es ahora +34600123456.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal("+34600123456", Bobs.BillingGroups[0].BillingContact.Phone);
    }

    [Fact]
    public async Task A_contact_update_is_refused_in_a_group_conversation()
    {
        var group = _host.Conversation(conversationId: "team-chat", conversationType: "groupChat", isGroup: true);
        var replies = await group.SayAsync("update my contact details");
        Assert.DoesNotContain("Which contact", PaymentText.Of(replies), StringComparison.Ordinal);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_contacts_m"));
        Assert.Equal(0, Writes);
    }

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task Switched_off_by_its_section_it_is_not_offered()
        {
            await using var host = new AssistantTestHost(new() { ["SelfService:Sections:Contacts"] = "false" });
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
            var replies = await host.Conversation().SayAsync("update my contact details");
            Assert.DoesNotContain("Which contact", PaymentText.Of(replies), StringComparison.Ordinal);
            Assert.Equal(0, host.Sandbox.Calls.Count("get_acct_contacts_m"));
        }
    }
}
