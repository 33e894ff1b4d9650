using AriaBot.Catalog;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>Place an order as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class PlaceOrderUseCase
{
    /// <summary>Asked for by <see cref="Intent.PlaceOrder"/>, switched off with <c>SelfService:Sections:Orders</c>.</summary>
    /// <remarks>
    /// Pre-filled from free text: "order 2 routers": the item and how many. Only an inventory item pre-fills an order;
    /// a plan's name in the message is not something to order. A thing named that no visible item matches ("order a
    /// pizza", a hidden item) is never ordered: the dialog says it is not sold here and lists what is.
    /// </remarks>
    public static UseCase<PlaceOrderDialog> Declaration { get; } = new(
        Intent.PlaceOrder,
        sections => sections.Orders,
        understanding => VisibleItemsCatalog.SkuIn(understanding) is { } sku
            ? new PlaceOrderOptions { ItemSku = sku, Quantity = understanding.Entities.Quantity }
            : new PlaceOrderOptions { Quantity = understanding.Entities.Quantity, NamedUnsoldThing = UnsoldThing.IsNamedIn(understanding.Text) });
}
