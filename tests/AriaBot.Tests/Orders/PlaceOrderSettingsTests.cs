using AriaBot.Audit;
using Microsoft.Extensions.DependencyInjection;
using AriaBot.Session;
using BotRuntime.Schema;
using static AriaBot.Tests.Orders.OrderKit;

namespace AriaBot.Tests.Orders;

/// <summary>
/// Orders under the operator's settings (hidden items, bill immediately or later) and across a crash. Each test starts
/// its own host: it changes host-wide settings or services.
/// </summary>
public sealed class PlaceOrderSettingsTests
{
    [Fact]
    public async Task A_crash_between_the_write_and_the_state_save_then_yes_again_places_exactly_one_order()
    {
        await using var host = new AssistantTestHost(services: services => services.AddCrashAfterWrite());
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var chat = host.Conversation();
        await PreviewTwoRoutersAsync(chat);

        host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => chat.SayAsync("yes"));
        Assert.Single(host.Sandbox.Orders(Alice));

        // The process restarts; the channel sends the "yes" again in the same conversation.
        var restarted = host.Conversation();
        var replies = await restarted.SayAsync("yes");
        var text = Text(replies);
        Assert.Contains("Good news: your earlier request went through: order for 2 × Wi-Fi 6 Router.", text, StringComparison.Ordinal);
        Assert.Contains("That change has already been made, so I haven't done it again.", text, StringComparison.Ordinal);
        Assert.Single(host.Sandbox.Orders(Alice));
        Assert.Equal(1, Writes(host));
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await AuditAsync(host, Alice)).Outcome);
    }

    [Fact]
    public async Task A_hidden_item_is_never_offered_and_is_unknown_when_typed()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:HiddenItems:0"] = "MESH-EXT-1" });
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var chat = host.Conversation();

        var asked = await chat.SayAsync("I want to order a mesh extender");
        // Named but not sold here (hidden, like a pizza): said plainly, then what can be ordered; never an order.
        Assert.Contains("We don't sell that here. This is what you can order:", Text(asked), StringComparison.Ordinal);
        // Neither the hidden item nor the inactive one is offered.
        Assert.Equal(["Wi-Fi 6 Router – $129.00", "USB Headset – $49.50", "Ethernet Cable 5 m – $9.99"], Buttons(asked));

        var retry = await chat.SayAsync("Mesh Extender");
        Assert.Contains("Please pick one of the items below.", Text(retry), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Sandbox.Calls.All, call => call.RestCall == "create_order_m");
    }

    [Fact]
    public async Task A_declined_card_when_the_order_bills_immediately_is_said_plainly_and_audited_once()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:Orders:BillImmediately"] = "1" });
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "carol", "carol-demo-1");
        var chat = host.Conversation();
        await chat.SayAsync("order a headset");
        await chat.SayAsync("1");
        var preview = await chat.ClickAsync("No");
        Assert.Contains("charged to the payment method on your account", CardText(preview), StringComparison.Ordinal);

        var declined = await chat.ClickAsync("Confirm");
        Assert.Contains("The payment for this change was declined, so nothing was changed.", Text(declined), StringComparison.Ordinal);
        Assert.Empty(host.Sandbox.Orders(Carol));
        var audit = Assert.Single(await AuditAsync(host, Carol));
        Assert.Equal((AuditOutcome.Rejected, 4011L), (audit.Outcome, audit.AriaErrorCode));
    }

    [Fact]
    public async Task An_order_billed_later_does_not_say_charged_now()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:Orders:BillImmediately"] = "0" });
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var chat = host.Conversation();
        var card = CardText(await PreviewTwoRoutersAsync(chat));
        Assert.Contains("Total, billed later", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Charged now", card, StringComparison.Ordinal);

        var invoices = host.Sandbox.Invoices(Alice).Count;
        await chat.ClickAsync("Confirm");
        Assert.Single(host.Sandbox.Orders(Alice));
        Assert.Equal(invoices, host.Sandbox.Invoices(Alice).Count);
    }
}
