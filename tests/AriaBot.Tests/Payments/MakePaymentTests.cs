using AriaBot.Audit;
using AriaBot.Session;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The one-time payment, turn by turn against the sandbox: the balance first, refused amounts that never reach Aria,
/// the confirmation card, declines, and exactly one charge through redelivery, lost replies and a crash.
/// Bob owes $38.00 on a MasterCard ending 5454; Carol owes $59.00 on a Visa ending 0002 that declines (4011).
/// </summary>
public sealed class MakePaymentTests : IAsyncLifetime
{
    internal const long Bob = 1000002;
    internal const long Carol = 1000003;

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Paying_part_shows_the_balance_first_then_a_card_with_amount_method_and_balance_after_and_charges_once()
    {
        var preview = await _chat.SayAsync("pay $20");
        var text = PaymentText.Of(preview);
        Assert.Contains("Your balance due is $38.00.", text, StringComparison.Ordinal);
        Assert.Contains("Pay $20.00", text, StringComparison.Ordinal);
        Assert.Contains("Payment with MasterCard ending 5454", text, StringComparison.Ordinal);
        Assert.Contains("Your balance afterwards: $18.00", text, StringComparison.Ordinal);
        Assert.Equal(0, PaymentText.Charges(_host));

        var done = await _chat.ClickAsync("Confirm");
        var payment = Assert.Single(PaymentText.Ours(_host, Bob));
        Assert.Equal(20m, payment.Amount);
        Assert.Contains($"Thank you! Your payment of $20.00 with MasterCard ending 5454 went through. Your receipt number is {payment.TransactionId}, and your balance is now $18.00.",
            PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(18m, _host.Sandbox.Account(Bob).Balance);
        Assert.Equal(1, _host.Sandbox.Calls.Count("collect_from_account_m"));
        var audit = Assert.Single(await PaymentText.AuditAsync(_host, Bob));
        Assert.Equal((AuditOutcome.Committed, "collect_from_account_m", 20m, payment.ClientReceiptId), (audit.Outcome, audit.Call, audit.PreviewTotal, audit.ReceiptId));
    }

    [Fact]
    public async Task The_menu_offers_a_payment_and_its_button_starts_one()
    {
        var greeting = await _chat.OpenAsync();
        var menu = greeting.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!;
        var pay = Assert.Single(menu, action => action.Title == "Make a payment");
        var replies = await _chat.ClickAsync(pay);
        Assert.Contains("Your balance due is $38.00.", PaymentText.Of(replies), StringComparison.Ordinal);
        Assert.Contains("How much would you like to pay?", PaymentText.Of(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_all_from_the_menu_question_settles_the_whole_balance()
    {
        var asked = await _chat.SayAsync("pay my bill");
        Assert.Contains("How much would you like to pay? Choose the full balance ($38.00)", PaymentText.Of(asked), StringComparison.Ordinal);

        var preview = await _chat.ClickAsync("Full balance");
        Assert.Contains("Pay $38.00", PaymentText.Of(preview), StringComparison.Ordinal);
        Assert.Contains("Your balance afterwards: $0.00", PaymentText.Of(preview), StringComparison.Ordinal);

        var done = await _chat.ClickAsync("Confirm");
        Assert.Contains("your balance is now $0.00.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(38m, Assert.Single(PaymentText.Ours(_host, Bob)).Amount);
        Assert.Equal(1, _host.Sandbox.Calls.Count("settle_account_balance_m"));
        Assert.Equal(0, _host.Sandbox.Calls.Count("collect_from_account_m"));
        Assert.Equal(0m, _host.Sandbox.Account(Bob).Balance);
    }

    [Fact]
    public async Task Refused_amounts_are_explained_audited_and_never_reach_Aria_and_no_writes_nothing()
    {
        await _chat.SayAsync("pay my bill");
        Assert.Contains("The amount has to be more than zero.", PaymentText.Of(await _chat.SayAsync("0")), StringComparison.Ordinal);
        Assert.Contains("I can take payments of up to $10,000.00 in chat.", PaymentText.Of(await _chat.SayAsync("$20,000")), StringComparison.Ordinal);
        Assert.Contains("That's more than your balance of $38.00", PaymentText.Of(await _chat.SayAsync("$50")), StringComparison.Ordinal);

        await _chat.SayAsync("pay my bill");
        Assert.Contains("Your account is billed in USD", PaymentText.Of(await _chat.SayAsync("50 euros")), StringComparison.Ordinal);
        Assert.Contains("The amount can't be negative.", PaymentText.Of(await _chat.SayAsync("-$5")), StringComparison.Ordinal);
        Assert.Contains("Pay $10.00", PaymentText.Of(await _chat.SayAsync("$10")), StringComparison.Ordinal);

        var declined = await _chat.SayAsync("no");
        Assert.Contains("OK, I haven't changed anything.", PaymentText.Of(declined), StringComparison.Ordinal);
        Assert.Equal(0, PaymentText.Charges(_host));
        Assert.Empty(PaymentText.Ours(_host, Bob));
        var audit = await PaymentText.AuditAsync(_host, Bob);
        Assert.Equal(5, audit.Count);
        Assert.All(audit, entry => Assert.Equal(AuditOutcome.Rejected, entry.Outcome));
    }

    [Fact]
    public async Task Aria_saying_the_balance_is_zero_at_the_write_is_told_plainly()
    {
        await _chat.SayAsync("pay the full balance");
        _host.Sandbox.Faults.FailNext("settle_account_balance_m", 4003);
        var told = await _chat.ClickAsync("Confirm");
        Assert.Contains("There's nothing to pay: your balance is already settled, so nothing was charged.", PaymentText.Of(told), StringComparison.Ordinal);
        Assert.Empty(PaymentText.Ours(_host, Bob));
    }

    [Fact]
    public async Task A_payment_is_refused_in_a_group_conversation()
    {
        var group = _host.Conversation(conversationId: "team-chat", conversationType: "groupChat", isGroup: true);
        var replies = await group.SayAsync("pay my bill");
        Assert.DoesNotContain("balance due", PaymentText.Of(replies), StringComparison.Ordinal);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_details_all_m"));
        Assert.Equal(0, PaymentText.Charges(_host));
    }

    [Fact]
    public async Task In_Spanish_the_balance_is_paid_with_Spanish_words_and_a_euro_amount_is_refused_for_a_dollar_account()
    {
        var chat = _host.Conversation(conversationId: "convo-es", locale: "es-ES");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"), "bob", "bob-demo-1");
        var asked = await chat.SayAsync("pagar mi saldo");
        Assert.Contains("Tu saldo pendiente es de 38,00 US$.", PaymentText.Of(asked), StringComparison.Ordinal);
        Assert.Contains("Tu cuenta se factura en USD", PaymentText.Of(await chat.SayAsync("50,00 €")), StringComparison.Ordinal);

        var preview = await chat.ClickAsync("Saldo completo");
        Assert.Contains("Pagar 38,00 US$", PaymentText.Of(preview), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("¡Gracias! Tu pago de 38,00 US$ con MasterCard terminada en 5454 se ha realizado.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Single(PaymentText.Ours(_host, Bob));
    }
}
