using AriaBot.Orders.PlaceOrder;
using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Orders;

/// <summary>
/// Issue 23's decision for an order naming something the business does not sell here (unknown, inactive or hidden
/// alike): "we don't sell that here" and the items that can be ordered, never an order of it.
/// </summary>
public sealed class UnsoldThingTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("en-US", "I'd like to order a fax machine", "We don't sell that here. This is what you can order:", "Wi-Fi 6 Router – $129.00")]
    [InlineData("es-ES", "quiero pedir una impresora", "Eso no lo vendemos aquí. Esto es lo que puedes pedir:", "Wi-Fi 6 Router")]
    public async Task An_order_for_something_not_sold_says_so_lists_the_items_and_orders_nothing(string locale, string text, string sentence, string button)
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "unsold-" + locale, "user1"));
        var chat = _host.Conversation(conversationId: "unsold-" + locale, locale: locale);

        var replies = await chat.SayAsync(text);

        Assert.Contains(sentence, string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);
        var buttons = replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.Select(a => a.Title ?? string.Empty);
        Assert.Contains(buttons, b => b.StartsWith(button, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "create_order_m");
    }
}

/// <summary>When a message names a thing to order at all (no host needed).</summary>
public sealed class UnsoldThingWordsTests
{
    [Theory]
    [InlineData("order a pizza", true)]
    [InlineData("I want to order a mesh extender", true)]
    [InlineData("buy 2 fax machines", true)]
    [InlineData("pide una pizza", true)]
    [InlineData("quiero comprar un altavoz", true)]
    [InlineData("place an order", false)]
    [InlineData("I'd like to order some items", false)]
    [InlineData("can I order something", false)]
    [InlineData("order 3", false)]
    [InlineData("quiero hacer un pedido", false)]
    [InlineData("quiero pedir algo", false)]
    [InlineData("I need a new router", false)]
    public void A_thing_is_named_only_after_an_order_verb_and_not_by_filler_words(string text, bool named) =>
        Assert.Equal(named, UnsoldThing.IsNamedIn(text));
}
