using AriaBot.Audit;
using AriaBot.Session;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// A declined one-time payment (Carol's Visa ending 0002 declines with 4011): what is offered next — another card, the
/// secure page, a person — and a second decline putting a person first. Each test starts its own host: it adds cards
/// to the sandbox's account or moves the clock. Split from <see cref="MakePaymentTests"/>.
/// </summary>
public sealed class PaymentDeclineTests
{
    private const long Carol = MakePaymentTests.Carol;

    [Fact]
    public async Task A_decline_offers_another_method_the_secure_page_or_a_person_and_another_card_then_pays()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "carol", "carol-demo-1");
        PaymentText.AddCard(host, Carol, 99001, "4242", CardBehaviour.Approve);
        var chat = host.Conversation();

        await chat.SayAsync("pay the full balance");
        // The primary (the declining Visa ending 0002) is offered first.
        Assert.Equal(["Visa ending 0002", "Visa ending 4242"], PaymentText.Buttons(chat.Said));
        await chat.ClickAsync("Visa ending 0002");
        var declined = await chat.ClickAsync("Confirm");
        var text = PaymentText.Of(declined);
        Assert.Contains("The payment for this change was declined", text, StringComparison.Ordinal);
        Assert.Contains("The reason: the card issuer didn't authorise it.", text, StringComparison.Ordinal);
        Assert.Equal(["Visa ending 4242", "Update payment details", "Talk to a person"], PaymentText.Buttons(declined));
        Assert.Empty(PaymentText.Ours(host, Carol));

        host.Time.Advance(TimeSpan.FromMinutes(1)); // audit rows of one instant have no order between them
        var again = await chat.ClickAsync("Visa ending 4242");
        Assert.Contains("Payment with Visa ending 4242", PaymentText.Of(again), StringComparison.Ordinal);
        Assert.Contains("Pay $59.00", PaymentText.Of(again), StringComparison.Ordinal);
        await chat.ClickAsync("Confirm");
        var payment = Assert.Single(PaymentText.Ours(host, Carol));
        Assert.Equal((59m, 99001L), (payment.Amount, payment.PaymentMethodNo));
        var audit = await PaymentText.AuditAsync(host, Carol);
        Assert.Equal([AuditOutcome.Rejected, AuditOutcome.Committed], audit.Select(entry => entry.Outcome));
        Assert.Equal(4011L, audit[0].AriaErrorCode);
    }

    [Fact]
    public async Task After_two_declines_a_person_is_offered_first()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "carol", "carol-demo-1");
        PaymentText.AddCard(host, Carol, 99002, "9995", CardBehaviour.DeclineInsufficientFunds);
        PaymentText.AddCard(host, Carol, 99003, "4242", CardBehaviour.Approve);
        var chat = host.Conversation();

        await chat.SayAsync("pay $20");
        await chat.ClickAsync("Visa ending 0002");
        await chat.ClickAsync("Confirm");
        await chat.ClickAsync("Visa ending 9995");
        var second = await chat.ClickAsync("Confirm");
        Assert.Contains("the money couldn't be collected from that method", PaymentText.Of(second), StringComparison.Ordinal);
        Assert.Contains("That's two declines.", PaymentText.Of(second), StringComparison.Ordinal);
        Assert.Equal(["Talk to a person", "Visa ending 4242", "Update payment details"], PaymentText.Buttons(second));

        // The customer is handed on at once (no live agents here, so the support contact), not told what to type.
        var person = await chat.ClickAsync("Talk to a person");
        Assert.Contains("A person from our support team can help you.", PaymentText.Of(person), StringComparison.Ordinal);
        Assert.Empty(PaymentText.Ours(host, Carol));
    }

    [Fact]
    public async Task After_a_decline_updating_the_payment_details_starts_the_payment_method_flow()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "carol", "carol-demo-1");
        var chat = host.Conversation();

        await chat.SayAsync("pay $20");
        await chat.ClickAsync("Confirm");
        var update = await chat.ClickAsync("Update payment details");

        Assert.Contains("Here is what you have on file:", PaymentText.Of(update), StringComparison.Ordinal);
        Assert.Contains("ending 0002", PaymentText.Of(update), StringComparison.Ordinal);
        Assert.Empty(PaymentText.Ours(host, Carol));
    }
}
