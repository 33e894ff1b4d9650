using System.Net;
using System.Net.Http.Json;
using AriaBot.Audit;
using AriaBot.Session;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Orders;

/// <summary>
/// Place an order, turn by turn against the sandbox: the catalog offered, the preview as the confirmation, and the
/// exactly-once write through redelivery, lost replies and a crash.
/// </summary>
public sealed class PlaceOrderTests : IAsyncLifetime
{
    private const long Alice = 1000001;
    private const long Carol = 1000003;
    private const string Router = "RTR-AX3000";

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_order_for_two_routers_is_previewed_then_placed_once_and_the_done_message_names_the_order()
    {
        var invoicesBefore = _host.Sandbox.Invoices(Alice).Count;
        var asked = await _chat.SayAsync("order 2 routers");
        Assert.Contains("Your order so far: 2 × Wi-Fi 6 Router. Would you like to add anything else?", Text(asked), StringComparison.Ordinal);

        var preview = await _chat.ClickAsync("No");
        var card = CardText(preview);
        Assert.Contains("Your order", card, StringComparison.Ordinal);
        Assert.Contains("Wi-Fi 6 Router x 2", card, StringComparison.Ordinal);
        Assert.Contains("$258.00", card, StringComparison.Ordinal);
        Assert.Contains("Charged now", card, StringComparison.Ordinal);
        Assert.Contains("Terms and Conditions", card, StringComparison.Ordinal);
        Assert.Contains("https://www.example.com/nimbus/terms", card, StringComparison.Ordinal);
        Assert.Equal(0, Writes(_host));
        Assert.Empty(_host.Sandbox.Orders(Alice));
        // The preview went to the account's one master plan instance, do_write=false.
        Assert.Equal(1, _host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == false));

        var done = await _chat.ClickAsync("Confirm");
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Contains($"Done! Your order for 2 × Wi-Fi 6 Router has been placed. Your order number is {order.OrderNo}.", Text(done), StringComparison.Ordinal);
        var line = Assert.Single(order.Lines);
        Assert.Equal((Router, 2m), (line.ClientSku, line.Units));
        Assert.Equal(_host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanInstanceNo, order.PlanInstanceNo);
        // client_order_id is derived from the write's receipt id, so the order can be found again by reading.
        Assert.NotNull(order.ClientReceiptId);
        Assert.Equal(order.ClientReceiptId, order.ClientOrderId);
        // Unset bill_immediately follows the client's AUTO BILL ORDERS (on in the seed): billed at once.
        Assert.Equal(invoicesBefore + 1, _host.Sandbox.Invoices(Alice).Count);
        Assert.Equal(1, Writes(_host));

        var audit = Assert.Single(await AuditAsync(_host, Alice));
        Assert.Equal((AuditOutcome.Committed, "create_order_m", 258m, order.ClientReceiptId), (audit.Outcome, audit.Call, audit.PreviewTotal, audit.ReceiptId));
        Assert.Contains(order.OrderNo.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_are_offered_with_prices_and_several_can_go_in_one_order()
    {
        var asked = await _chat.SayAsync("I'd like to place an order");
        Assert.Contains("What would you like to order?", Text(asked), StringComparison.Ordinal);
        var buttons = Buttons(asked);
        Assert.Equal(["Wi-Fi 6 Router – $129.00", "USB Headset – $49.50", "Mesh Extender – $79.00", "Ethernet Cable 5 m – $9.99"], buttons);

        var quantity = await _chat.ClickAsync("USB Headset – $49.50");
        Assert.Contains("USB Headset: how many would you like? You can order up to 10 here.", Text(quantity), StringComparison.Ordinal);
        Assert.Contains("Please type a whole number from 1 to 10.", Text(await _chat.SayAsync("11")), StringComparison.Ordinal);
        Assert.Contains("Please type a whole number from 1 to 10.", Text(await _chat.SayAsync("two and a half")), StringComparison.Ordinal);
        Assert.Contains("Your order so far: 3 × USB Headset.", Text(await _chat.SayAsync("3")), StringComparison.Ordinal);

        await _chat.ClickAsync("Yes");
        await _chat.SayAsync("ethernet cable");
        Assert.Contains("Your order so far: 3 × USB Headset, 2 × Ethernet Cable 5 m.", Text(await _chat.SayAsync("2")), StringComparison.Ordinal);
        await _chat.ClickAsync("Yes");
        await _chat.ClickAsync("USB Headset – $49.50");
        Assert.Contains("Your order so far: 4 × USB Headset, 2 × Ethernet Cable 5 m.", Text(await _chat.SayAsync("1")), StringComparison.Ordinal);

        var preview = await _chat.ClickAsync("No");
        var card = CardText(preview);
        Assert.Contains("USB Headset x 4", card, StringComparison.Ordinal);
        Assert.Contains("Ethernet Cable 5 m x 2", card, StringComparison.Ordinal);
        Assert.Contains("$217.98", card, StringComparison.Ordinal);

        await _chat.ClickAsync("Confirm");
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Equal([("HDS-USB-200", 4m), ("CBL-CAT6-5M", 2m)], order.Lines.Select(line => (line.ClientSku, line.Units)));
        Assert.Equal(1, Writes(_host));
    }

    [Fact]
    public async Task The_item_catalog_is_read_once_per_cache_period()
    {
        await PreviewTwoRoutersAsync(_chat);
        await _chat.SayAsync("no");
        await _chat.SayAsync("order a headset");
        Assert.Equal(1, _host.Sandbox.Calls.Count("get_client_items_all_m"));

        _host.Time.Advance(TimeSpan.FromMinutes(10)); // Catalog:CacheFor
        await _chat.SayAsync("cancel");
        await _chat.SayAsync("order a headset");
        Assert.Equal(2, _host.Sandbox.Calls.Count("get_client_items_all_m"));
    }

    [Fact]
    public async Task A_quantity_over_the_chat_limit_is_asked_again()
    {
        var asked = await _chat.SayAsync("order 50 routers");
        Assert.Contains("In chat I can take up to 10 of each item.", Text(asked), StringComparison.Ordinal);
        Assert.Contains("Wi-Fi 6 Router: how many would you like?", Text(asked), StringComparison.Ordinal);
        Assert.Contains("Your order so far: 10 × Wi-Fi 6 Router.", Text(await _chat.SayAsync("10")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_at_the_confirmation_writes_nothing()
    {
        await PreviewTwoRoutersAsync(_chat);
        var declined = await _chat.SayAsync("no");
        Assert.Contains("OK, I haven't changed anything.", Text(declined), StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Orders(Alice));
        Assert.Equal(0, Writes(_host));
        Assert.Empty(await AuditAsync(_host, Alice));

        // Typed text that is more than a yes is not a confirmation either.
        await _chat.SayAsync("order a headset");
        await _chat.SayAsync("1");
        await _chat.ClickAsync("No");
        Assert.Contains("Please answer just \"yes\" or \"no\"", Text(await _chat.SayAsync("yes but make it 3")), StringComparison.Ordinal);
        Assert.Equal(0, Writes(_host));
    }

    [Fact]
    public async Task A_session_that_expired_after_the_preview_writes_nothing_and_after_sign_in_a_fresh_preview_is_confirmed()
    {
        var first = await PreviewTwoRoutersAsync(_chat);
        var firstPreviewId = PreviewIdOf(first);
        _host.Time.Advance(TimeSpan.FromMinutes(31)); // the demo client's sessions last 30 minutes

        var signIn = await _chat.ClickAsync("Confirm");
        var link = AssistantTestHost.LinkIn(signIn.First(reply => reply.Attachments is { Count: > 0 }));
        Assert.Equal(0, Writes(_host));
        Assert.Empty(_host.Sandbox.Orders(Alice));

        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link);
        var fresh = await _chat.SayAsync(page.Code!);
        Assert.Contains("Wi-Fi 6 Router x 2", CardText(fresh), StringComparison.Ordinal);
        Assert.NotEqual(firstPreviewId, PreviewIdOf(fresh));
        Assert.Equal(0, Writes(_host));

        await _chat.ClickAsync("Confirm");
        Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Equal(1, Writes(_host));
    }

    [Fact]
    public async Task A_write_Aria_refuses_for_the_session_is_previewed_again_under_a_new_receipt_and_order_id()
    {
        var first = await PreviewTwoRoutersAsync(_chat);
        // Aria says 1011 at the write itself (the session ended between the check and the write); here the session
        // is in fact still valid, so sign-in finds it and the change is previewed afresh at once.
        _host.Sandbox.Faults.FailNext("create_order_m", 1011);
        var again = await _chat.ClickAsync("Confirm");
        Assert.Contains("Wi-Fi 6 Router x 2", CardText(again), StringComparison.Ordinal);
        Assert.NotEqual(PreviewIdOf(first), PreviewIdOf(again));
        Assert.Empty(_host.Sandbox.Orders(Alice));

        _host.Time.Advance(TimeSpan.FromMinutes(1)); // audit rows of the same instant have no order between them
        await _chat.ClickAsync("Confirm");
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        // The refused write used up its receipt id; the new preview carries a new one, and the order id follows it.
        var audit = await AuditAsync(_host, Alice);
        Assert.Equal([AuditOutcome.Rejected, AuditOutcome.Committed], audit.Select(entry => entry.Outcome));
        Assert.NotEqual(audit[0].ReceiptId, audit[1].ReceiptId);
        Assert.Equal((audit[1].ReceiptId, audit[1].ReceiptId), (order.ClientReceiptId, order.ClientOrderId));
    }

    [Fact]
    public async Task A_confirmation_delivered_twice_to_the_messages_endpoint_places_one_order()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "api-convo", "api-user"));
        await PostAsync("m1", "order 2 routers");
        var preview = await PostAsync("m2", "no");
        Assert.Contains(preview, reply => reply.Attachments is { Count: > 0 });

        var first = await PostAsync("m3", "yes");
        var again = await PostAsync("m3", "yes");
        Assert.Equal(Text(first), Text(again));
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Contains($"Your order number is {order.OrderNo}.", Text(first), StringComparison.Ordinal);
        Assert.Equal(1, Writes(_host));
        Assert.Single(await AuditAsync(_host, Alice));
    }

    [Fact]
    public async Task An_old_previews_button_is_stale_and_writes_nothing()
    {
        var first = await PreviewTwoRoutersAsync(_chat);
        var oldId = PreviewIdOf(first);

        // The preview grew old and the price changed meanwhile: the confirmation shows the new numbers instead.
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        SetPrice(_host, Router, 139m);
        var changed = await _chat.ClickAsync("Confirm");
        Assert.Contains("The numbers have changed", Text(changed), StringComparison.Ordinal);
        Assert.Contains("$278.00", CardText(changed), StringComparison.Ordinal);
        var newId = PreviewIdOf(changed);
        Assert.NotEqual(oldId, newId);
        Assert.Equal(0, Writes(_host));

        var stale = await _chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("That confirmation belongs to an earlier preview", Text(stale), StringComparison.Ordinal);
        Assert.Equal(0, Writes(_host));

        await _chat.SubmitAsync(new { action = "confirmChange", previewId = newId });
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Equal(278m, order.Amount);
        Assert.Equal(1, Writes(_host));

        // Clicked again once the order is done, the card's button writes nothing, and says so.
        var afterwards = await _chat.SubmitAsync(new { action = "confirmChange", previewId = newId });
        Assert.Contains("That button belongs to a preview that's no longer open, so I haven't used it and nothing was changed.", Text(afterwards), StringComparison.Ordinal);
        Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Equal(1, Writes(_host));
    }

    [Fact]
    public async Task A_write_committed_but_whose_reply_was_lost_is_reconciled_not_repeated()
    {
        await PreviewTwoRoutersAsync(_chat);
        _host.Sandbox.Faults.LoseResponseNext("create_order_m");

        var done = await _chat.ClickAsync("Confirm");
        var order = Assert.Single(_host.Sandbox.Orders(Alice));
        Assert.Contains("Done! Your order for 2 × Wi-Fi 6 Router has been placed.", Text(done), StringComparison.Ordinal);
        // The client's retry reached Aria but was refused for its used receipt id; the order was read back.
        Assert.Equal(1, _host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == true && call.ErrorCode == 0));
        Assert.Contains(_host.Sandbox.Calls.All, call => call.RestCall == "get_order_m");
        var audit = Assert.Single(await AuditAsync(_host, Alice));
        Assert.Equal((AuditOutcome.Committed, order.ClientReceiptId), (audit.Outcome, audit.ReceiptId));
    }

    [Fact]
    public async Task A_duplicate_client_order_id_on_the_write_is_settled_by_reading_the_account()
    {
        await PreviewTwoRoutersAsync(_chat);
        _host.Sandbox.Faults.FailNext("create_order_m", 3118);

        var told = await _chat.ClickAsync("Confirm");
        Assert.Contains("Your earlier request didn't go through, and nothing was changed: order for 2 × Wi-Fi 6 Router.", Text(told), StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Orders(Alice));
        Assert.Contains(_host.Sandbox.Calls.All, call => call.RestCall == "get_order_m");
        Assert.Equal(AuditOutcome.Failed, Assert.Single(await AuditAsync(_host, Alice)).Outcome);
    }

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

    [Fact]
    public async Task A_slow_write_shows_typing_at_once_and_an_apology_before_the_channel_gives_up_and_the_conversation_carries_on()
    {
        await PreviewTwoRoutersAsync(_chat);
        _host.Sandbox.Faults.Latency = TimeSpan.FromSeconds(1);

        // The business clock runs on while Aria is slow, as the channel's would: ~40 s a real second, so the 8-second
        // notice falls inside the write's real second even on a busy machine.
        var turn = _chat.ClickAsync("Confirm");
        while (!turn.IsCompleted)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(50);
        }
        var replies = await turn;
        _host.Sandbox.Faults.Latency = TimeSpan.Zero;
        Assert.Equal(ActivityTypes.Typing, replies[0].Type);
        var texts = AssistantConversation.Texts(replies);
        var stillWorking = texts.ToList().FindIndex(text => text.StartsWith("This is taking longer than usual.", StringComparison.Ordinal));
        var done = texts.ToList().FindIndex(text => text.StartsWith("Done! Your order", StringComparison.Ordinal));
        Assert.True(stillWorking >= 0 && stillWorking < done, string.Join(" | ", texts));
        Assert.Single(_host.Sandbox.Orders(Alice));

        // State intact: the next request starts cleanly.
        Assert.Contains("USB Headset: how many would you like?", Text(await _chat.SayAsync("order a headset")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aria_down_at_the_preview_is_an_apology_and_nothing_is_lost()
    {
        await _chat.SayAsync("order 2 routers");
        _host.Sandbox.Faults.HttpStatusNext("create_order_m", 503, count: 5);
        var apology = await _chat.ClickAsync("No");
        Assert.Contains("can't reach", Text(apology), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Writes(_host));
        _host.Sandbox.Faults.Clear();

        await PreviewTwoRoutersAsync(_chat);
        await _chat.ClickAsync("Confirm");
        Assert.Single(_host.Sandbox.Orders(Alice));
    }

    [Fact]
    public async Task In_Spanish_the_order_is_offered_and_confirmed_in_Spanish()
    {
        var chat = _host.Conversation(conversationId: "convo-es", locale: "es-ES");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo-es", "user1"));
        var asked = await chat.SayAsync("quiero pedir un router");
        Assert.Contains("¿Cuántas unidades de Wi-Fi 6 Router quieres?", Text(asked), StringComparison.Ordinal);
        await chat.SayAsync("1");
        var preview = await chat.ClickAsync("No");
        Assert.Contains("Tu pedido", CardText(preview), StringComparison.Ordinal);
        Assert.Contains("129,00", CardText(preview), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("¡Hecho! Tu pedido de 1 × Wi-Fi 6 Router ya está registrado.", Text(done), StringComparison.Ordinal);
    }

    // ---- helpers ----

    /// <summary>"order 2 routers", nothing else: returns the turn with the preview card.</summary>
    private static async Task<IReadOnlyList<Activity>> PreviewTwoRoutersAsync(AssistantConversation chat)
    {
        await chat.SayAsync("order 2 routers");
        var preview = await chat.ClickAsync("No");
        Assert.Contains(preview, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
        return preview;
    }

    private static int Writes(AssistantTestHost host) => host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == true);

    private static Task<IReadOnlyList<AuditEntry>> AuditAsync(AssistantTestHost host, long accountNo) =>
        host.Services.GetRequiredService<IAuditLog>().ReadAsync(accountNo);

    private static string Text(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    private static List<string> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.Select(action => action.Title ?? string.Empty)];

    private static string CardText(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.SelectMany(reply => reply.Attachments ?? []).Where(a => a.ContentType == ContentTypes.AdaptiveCard).Select(a => a.Content?.GetRawText() ?? string.Empty))
        + "\n" + Text(replies);

    /// <summary>The preview id the Confirm button carries.</summary>
    private static string PreviewIdOf(IEnumerable<Activity> replies)
    {
        var confirm = replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.First(action => action.Title == "Confirm");
        return confirm.Value!.Value.GetProperty("previewId").GetString()!;
    }

    private static void SetPrice(AssistantTestHost host, string sku, decimal price) => host.Sandbox.Write(state =>
    {
        var index = state.Items.FindIndex(item => item.ClientSku == sku);
        var old = state.Items[index];
        state.Items[index] = new InventoryItem { ItemNo = old.ItemNo, ClientSku = old.ClientSku, Label = old.Label, Description = old.Description, Price = price, Active = old.Active, StockLevel = old.StockLevel };
    });

    /// <summary>A message to <c>/api/messages</c> as a channel delivers it, answered in the response (expectReplies).</summary>
    private async Task<IReadOnlyList<Activity>> PostAsync(string id, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = id,
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = "api-convo" },
            From = new ChannelAccount { Id = "api-user" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        return replies!.Activities;
    }
}
