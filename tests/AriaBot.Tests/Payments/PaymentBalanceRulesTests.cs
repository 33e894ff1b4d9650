using AriaBot.Audit;
using AriaBot.Session;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The balance rules of the one-time payment: a zero balance asks nothing, and an amount over the balance is taken when
/// the operator allows prepayment. Each test starts its own host (its own settings, or an account that owes nothing).
/// Split from <see cref="MakePaymentTests"/>.
/// </summary>
public sealed class PaymentBalanceRulesTests
{
    private const long Bob = MakePaymentTests.Bob;

    [Fact]
    public async Task An_amount_over_the_balance_is_taken_when_prepayment_is_allowed()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:AllowPrepayment"] = "true", ["SelfService:MaxPayment"] = "100" });
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
        var chat = host.Conversation();
        Assert.Contains("I can take payments of up to $100.00 in chat.", PaymentText.Of(await chat.SayAsync("pay $150")), StringComparison.Ordinal);
        Assert.Contains("Your balance afterwards: -$12.00", PaymentText.Of(await chat.SayAsync("$50")), StringComparison.Ordinal);
        await chat.ClickAsync("Confirm");
        Assert.Equal(50m, Assert.Single(PaymentText.Ours(host, Bob)).Amount);
    }

    [Fact]
    public async Task A_zero_balance_is_said_plainly_and_nothing_is_asked()
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var replies = await host.Conversation().SayAsync("pay my bill");
        Assert.Contains("There's nothing to pay right now: your balance is $0.00.", PaymentText.Of(replies), StringComparison.Ordinal);
        Assert.Equal(0, PaymentText.Charges(host));
    }
}
