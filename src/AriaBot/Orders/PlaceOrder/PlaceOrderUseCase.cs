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
    /// a plan's name in the message is not something to order.
    /// </remarks>
    public static UseCase<PlaceOrderDialog> Declaration { get; } = new(
        Intent.PlaceOrder,
        sections => sections.Orders,
        understanding => new PlaceOrderOptions
        {
            ItemSku = VisibleItemsCatalog.SkuIn(understanding),
            Quantity = understanding.Entities.Quantity,
        });
}
