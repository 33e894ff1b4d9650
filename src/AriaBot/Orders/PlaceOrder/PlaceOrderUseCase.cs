using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Orders.PlaceOrder;

public sealed class PlaceOrderUseCase(PlaceOrderDialog dialog) : IUseCase
{
    public Intent Intent => Intent.PlaceOrder;

    public bool IsEnabled(SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Orders;
    }

    public Dialog Dialog => dialog;

    public object? OptionsFrom(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return new PlaceOrderOptions
        {
            // Only an inventory item pre-fills an order; a plan's name in the message is not something to order.
            ItemSku = understanding.CatalogueItem?.Item is { Kind: VisibleItemsCatalog.ItemKind } item ? item.Id : null,
            Quantity = understanding.Entities.Quantity,
        };
    }
}
