using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using static AriaBot.Tests.Orders.OrderKit;

namespace AriaBot.Tests.Orders;

/// <summary>
/// An order is placed exactly once, whatever happens between the preview and the write: the session expiring, Aria
/// refusing the write for the session, the confirmation delivered twice, an old preview's button, a lost reply, a
/// duplicate order id, a slow write and Aria down at the preview.
/// </summary>
public sealed class PlaceOrderExactlyOnceTests : SignedInOrderTests
{
    [Fact]
    public async Task A_session_that_expired_after_the_preview_writes_nothing_and_after_sign_in_a_fresh_preview_is_confirmed()
    {
        var first = await PreviewTwoRoutersAsync(Chat);
        var firstPreviewId = PreviewIdOf(first);
        Host.Time.Advance(TimeSpan.FromMinutes(31)); // the demo client's sessions last 30 minutes

        var signIn = await Chat.ClickAsync("Confirm");
        var link = AssistantTestHost.LinkIn(signIn.First(reply => reply.Attachments is { Count: > 0 }));
        Assert.Equal(0, Writes(Host));
        Assert.Empty(Host.Sandbox.Orders(Alice));

        var page = await AssistantTestHost.SignInOnPageAsync(Host.NewBrowser(), link);
        var fresh = await Chat.SayAsync(page.Code!);
        Assert.Contains("Wi-Fi 6 Router x 2", CardText(fresh), StringComparison.Ordinal);
        Assert.NotEqual(firstPreviewId, PreviewIdOf(fresh));
        Assert.Equal(0, Writes(Host));

        await Chat.ClickAsync("Confirm");
        Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Equal(1, Writes(Host));
    }

    [Fact]
    public async Task A_write_Aria_refuses_for_the_session_is_previewed_again_under_a_new_receipt_and_order_id()
    {
        var first = await PreviewTwoRoutersAsync(Chat);
        // Aria says 1011 at the write itself (the session ended between the check and the write); here the session
        // is in fact still valid, so sign-in finds it and the change is previewed afresh at once.
        Host.Sandbox.Faults.FailNext("create_order_m", 1011);
        var again = await Chat.ClickAsync("Confirm");
        Assert.Contains("Wi-Fi 6 Router x 2", CardText(again), StringComparison.Ordinal);
        Assert.NotEqual(PreviewIdOf(first), PreviewIdOf(again));
        Assert.Empty(Host.Sandbox.Orders(Alice));

        Host.Time.Advance(TimeSpan.FromMinutes(1)); // audit rows of the same instant have no order between them
        await Chat.ClickAsync("Confirm");
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        // The refused write used up its receipt id; the new preview carries a new one, and the order id follows it.
        var audit = await AuditAsync(Host, Alice);
        Assert.Equal([AuditOutcome.Rejected, AuditOutcome.Committed], audit.Select(entry => entry.Outcome));
        Assert.NotEqual(audit[0].ReceiptId, audit[1].ReceiptId);
        Assert.Equal((audit[1].ReceiptId, audit[1].ReceiptId), (order.ClientReceiptId, order.ClientOrderId));
    }

    [Fact]
    public async Task A_confirmation_delivered_twice_to_the_messages_endpoint_places_one_order()
    {
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "api-convo", "api-user"));
        await PostAsync("m1", "order 2 routers");
        var preview = await PostAsync("m2", "no");
        Assert.Contains(preview, reply => reply.Attachments is { Count: > 0 });

        var first = await PostAsync("m3", "yes");
        var again = await PostAsync("m3", "yes");
        Assert.Equal(Text(first), Text(again));
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Contains($"Your order number is {order.OrderNo}.", Text(first), StringComparison.Ordinal);
        Assert.Equal(1, Writes(Host));
        Assert.Single(await AuditAsync(Host, Alice));
    }

    [Fact]
    public async Task An_old_previews_button_is_stale_and_writes_nothing()
    {
        var first = await PreviewTwoRoutersAsync(Chat);
        var oldId = PreviewIdOf(first);

        // The preview grew old and the price changed meanwhile: the confirmation shows the new numbers instead.
        Host.Time.Advance(TimeSpan.FromMinutes(11));
        SetPrice(Host, Router, 139m);
        var changed = await Chat.ClickAsync("Confirm");
        Assert.Contains("The numbers have changed", Text(changed), StringComparison.Ordinal);
        Assert.Contains("$278.00", CardText(changed), StringComparison.Ordinal);
        var newId = PreviewIdOf(changed);
        Assert.NotEqual(oldId, newId);
        Assert.Equal(0, Writes(Host));

        var stale = await Chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("That confirmation belongs to an earlier preview", Text(stale), StringComparison.Ordinal);
        Assert.Equal(0, Writes(Host));

        await Chat.SubmitAsync(new { action = "confirmChange", previewId = newId });
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Equal(278m, order.Amount);
        Assert.Equal(1, Writes(Host));

        // Clicked again once the order is done, the card's button writes nothing, and says so.
        var afterwards = await Chat.SubmitAsync(new { action = "confirmChange", previewId = newId });
        Assert.Contains("That button belongs to a preview that's no longer open, so I haven't used it and nothing was changed.", Text(afterwards), StringComparison.Ordinal);
        Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Equal(1, Writes(Host));
    }

    [Fact]
    public async Task A_write_committed_but_whose_reply_was_lost_is_reconciled_not_repeated()
    {
        await PreviewTwoRoutersAsync(Chat);
        Host.Sandbox.Faults.LoseResponseNext("create_order_m");

        var done = await Chat.ClickAsync("Confirm");
        var order = Assert.Single(Host.Sandbox.Orders(Alice));
        Assert.Contains("Done! Your order for 2 × Wi-Fi 6 Router has been placed.", Text(done), StringComparison.Ordinal);
        // The client's retry reached Aria but was refused for its used receipt id; the order was read back.
        Assert.Equal(1, Host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == true && call.ErrorCode == 0));
        Assert.Contains(Host.Sandbox.Calls.All, call => call.RestCall == "get_order_m");
        var audit = Assert.Single(await AuditAsync(Host, Alice));
        Assert.Equal((AuditOutcome.Committed, order.ClientReceiptId), (audit.Outcome, audit.ReceiptId));
    }

    [Fact]
    public async Task A_duplicate_client_order_id_on_the_write_is_settled_by_reading_the_account()
    {
        await PreviewTwoRoutersAsync(Chat);
        Host.Sandbox.Faults.FailNext("create_order_m", 3118);

        var told = await Chat.ClickAsync("Confirm");
        Assert.Contains("Your earlier request didn't go through, and nothing was changed: order for 2 × Wi-Fi 6 Router.", Text(told), StringComparison.Ordinal);
        Assert.Empty(Host.Sandbox.Orders(Alice));
        Assert.Contains(Host.Sandbox.Calls.All, call => call.RestCall == "get_order_m");
        Assert.Equal(AuditOutcome.Failed, Assert.Single(await AuditAsync(Host, Alice)).Outcome);
    }

    [Fact]
    public async Task A_slow_write_shows_typing_at_once_and_an_apology_before_the_channel_gives_up_and_the_conversation_carries_on()
    {
        await PreviewTwoRoutersAsync(Chat);
        Host.Sandbox.Faults.Latency = TimeSpan.FromSeconds(1);

        // The business clock runs on while Aria is slow, as the channel's would: ~40 s a real second, so the 8-second
        // notice falls inside the write's real second even on a busy machine.
        var turn = Chat.ClickAsync("Confirm");
        while (!turn.IsCompleted)
        {
            Host.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(50);
        }
        var replies = await turn;
        Host.Sandbox.Faults.Latency = TimeSpan.Zero;
        Assert.Equal(ActivityTypes.Typing, replies[0].Type);
        var texts = AssistantConversation.Texts(replies);
        var stillWorking = texts.ToList().FindIndex(text => text.StartsWith("This is taking longer than usual.", StringComparison.Ordinal));
        var done = texts.ToList().FindIndex(text => text.StartsWith("Done! Your order", StringComparison.Ordinal));
        Assert.True(stillWorking >= 0 && stillWorking < done, string.Join(" | ", texts));
        Assert.Single(Host.Sandbox.Orders(Alice));

        // State intact: the next request starts cleanly.
        Assert.Contains("USB Headset: how many would you like?", Text(await Chat.SayAsync("order a headset")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aria_down_at_the_preview_is_an_apology_and_nothing_is_lost()
    {
        await Chat.SayAsync("order 2 routers");
        Host.Sandbox.Faults.HttpStatusNext("create_order_m", 503, count: 5);
        var apology = await Chat.ClickAsync("No");
        Assert.Contains("can't reach", Text(apology), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Writes(Host));
        Host.Sandbox.Faults.Clear();

        await PreviewTwoRoutersAsync(Chat);
        await Chat.ClickAsync("Confirm");
        Assert.Single(Host.Sandbox.Orders(Alice));
    }

    private Task<IReadOnlyList<Activity>> PostAsync(string id, string text) => ApiMessages.PostAsync(Host, id, text);
}
