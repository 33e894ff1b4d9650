using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using static AriaBot.Tests.Orders.OrderKit;

namespace AriaBot.Tests.Orders;

/// <summary>
/// Place an order, turn by turn against the sandbox: the catalog offered, quantities asked, the preview as the
/// confirmation, one write after "yes" and none after "no", in English and Spanish. The exactly-once write through
/// redelivery, lost replies and slow or failing Aria is <see cref="PlaceOrderExactlyOnceTests"/>; the operator's
/// settings and a crash are <see cref="PlaceOrderSettingsTests"/>.
/// </summary>
public sealed class PlaceOrderTests : SignedInOrderTests
{
    [Fact]
    public async Task An_order_for_two_routers_is_previewed_then_placed_once_and_the_done_message_names_the_order()
    {
        var invoicesBefore = Host.Sandbox.Invoices(Alice).Count;
        var asked = await Chat.SayAsync("order 2 routers");
        Assert.Contains("Your order so far: 2 × Wi-Fi 6 Router. Would you like to add anything else?", Text(asked), StringComparison.Ordinal);

        var preview = await Chat.ClickAsync("No");
        var card = CardText(preview);
        Assert.Contains("Your order", card, StringComparison.Ordinal);
        Assert.Contains("Wi-Fi 6 Router x 2", card, StringComparison.Ordinal);
        Assert.Contains("$258.00", card, StringComparison.Ordinal);
        Assert.Contains("Charged now", card, StringComparison.Ordinal);
        Assert.Contains("Terms and Conditions", card, StringComparison.Ordinal);
        Assert.Contains("https://www.example.com/nimbus/terms", card, StringComparison.Ordinal);
        Assert.Equal(0, Writes(Host));
        Assert.Empty(Host.Sandbox.Orders(Alice));
        // The preview went to the account's one master plan instance, do_write=false.
        Assert.Equal(1, Host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == false));

        var done = await Chat.ClickAsync("Confirm");
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Contains($"Done! Your order for 2 × Wi-Fi 6 Router has been placed. Your order number is {order.OrderNo}.", Text(done), StringComparison.Ordinal);
        var line = Assert.Single(order.Lines);
        Assert.Equal((Router, 2m), (line.ClientSku, line.Units));
        Assert.Equal(Host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanInstanceNo, order.PlanInstanceNo);
        // client_order_id is derived from the write's receipt id, so the order can be found again by reading.
        Assert.NotNull(order.ClientReceiptId);
        Assert.Equal(order.ClientReceiptId, order.ClientOrderId);
        // Unset bill_immediately follows the client's AUTO BILL ORDERS (on in the seed): billed at once.
        Assert.Equal(invoicesBefore + 1, Host.Sandbox.Invoices(Alice).Count);
        Assert.Equal(1, Writes(Host));

        var audit = Assert.Single(await AuditAsync(Host, Alice));
        Assert.Equal((AuditOutcome.Committed, "create_order_m", 258m, order.ClientReceiptId), (audit.Outcome, audit.Call, audit.PreviewTotal, audit.ReceiptId));
        Assert.Contains(order.OrderNo.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_are_offered_with_prices_and_several_can_go_in_one_order()
    {
        var asked = await Chat.SayAsync("I'd like to place an order");
        Assert.Contains("What would you like to order?", Text(asked), StringComparison.Ordinal);
        var buttons = Buttons(asked);
        Assert.Equal(["Wi-Fi 6 Router – $129.00", "USB Headset – $49.50", "Mesh Extender – $79.00", "Ethernet Cable 5 m – $9.99"], buttons);

        var quantity = await Chat.ClickAsync("USB Headset – $49.50");
        Assert.Contains("USB Headset: how many would you like? You can order up to 10 here.", Text(quantity), StringComparison.Ordinal);
        Assert.Contains("Please type a whole number from 1 to 10.", Text(await Chat.SayAsync("11")), StringComparison.Ordinal);
        Assert.Contains("Please type a whole number from 1 to 10.", Text(await Chat.SayAsync("two and a half")), StringComparison.Ordinal);
        Assert.Contains("Your order so far: 3 × USB Headset.", Text(await Chat.SayAsync("3")), StringComparison.Ordinal);

        await Chat.ClickAsync("Yes");
        await Chat.SayAsync("ethernet cable");
        Assert.Contains("Your order so far: 3 × USB Headset, 2 × Ethernet Cable 5 m.", Text(await Chat.SayAsync("2")), StringComparison.Ordinal);
        await Chat.ClickAsync("Yes");
        await Chat.ClickAsync("USB Headset – $49.50");
        Assert.Contains("Your order so far: 4 × USB Headset, 2 × Ethernet Cable 5 m.", Text(await Chat.SayAsync("1")), StringComparison.Ordinal);

        var preview = await Chat.ClickAsync("No");
        var card = CardText(preview);
        Assert.Contains("USB Headset x 4", card, StringComparison.Ordinal);
        Assert.Contains("Ethernet Cable 5 m x 2", card, StringComparison.Ordinal);
        Assert.Contains("$217.98", card, StringComparison.Ordinal);

        await Chat.ClickAsync("Confirm");
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Equal([("HDS-USB-200", 4m), ("CBL-CAT6-5M", 2m)], order.Lines.Select(line => (line.ClientSku, line.Units)));
        Assert.Equal(1, Writes(Host));
    }

    [Fact]
    public async Task The_item_catalog_is_read_once_per_cache_period()
    {
        await PreviewTwoRoutersAsync(Chat);
        await Chat.SayAsync("no");
        await Chat.SayAsync("order a headset");
        Assert.Equal(1, Host.Sandbox.Calls.Count("get_client_items_all_m"));

        Host.Time.Advance(TimeSpan.FromMinutes(10)); // Catalog:CacheFor
        await Chat.SayAsync("cancel");
        await Chat.SayAsync("order a headset");
        Assert.Equal(2, Host.Sandbox.Calls.Count("get_client_items_all_m"));
    }

    [Fact]
    public async Task A_quantity_over_the_chat_limit_is_asked_again()
    {
        var asked = await Chat.SayAsync("order 50 routers");
        Assert.Contains("In chat I can take up to 10 of each item.", Text(asked), StringComparison.Ordinal);
        Assert.Contains("Wi-Fi 6 Router: how many would you like?", Text(asked), StringComparison.Ordinal);
        Assert.Contains("Your order so far: 10 × Wi-Fi 6 Router.", Text(await Chat.SayAsync("10")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_at_the_confirmation_writes_nothing()
    {
        await PreviewTwoRoutersAsync(Chat);
        var declined = await Chat.SayAsync("no");
        Assert.Contains("OK, I haven't changed anything.", Text(declined), StringComparison.Ordinal);
        Assert.Empty(Host.Sandbox.Orders(Alice));
        Assert.Equal(0, Writes(Host));
        Assert.Empty(await AuditAsync(Host, Alice));

        // Typed text that is more than a yes is not a confirmation either.
        await Chat.SayAsync("order a headset");
        await Chat.SayAsync("1");
        await Chat.ClickAsync("No");
        Assert.Contains("Please answer just \"yes\" or \"no\"", Text(await Chat.SayAsync("yes but make it 3")), StringComparison.Ordinal);
        Assert.Equal(0, Writes(Host));
    }

    [Fact]
    public async Task In_Spanish_the_order_is_offered_and_confirmed_in_Spanish()
    {
        var chat = Host.Conversation(conversationId: "convo-es", locale: "es-ES");
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"));
        var asked = await chat.SayAsync("quiero pedir un router");
        Assert.Contains("¿Cuántas unidades de Wi-Fi 6 Router quieres?", Text(asked), StringComparison.Ordinal);
        await chat.SayAsync("1");
        var preview = await chat.ClickAsync("No");
        Assert.Contains("Tu pedido", CardText(preview), StringComparison.Ordinal);
        Assert.Contains("129,00", CardText(preview), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("¡Hecho! Tu pedido de 1 × Wi-Fi 6 Router ya está registrado.", Text(done), StringComparison.Ordinal);
    }
}
