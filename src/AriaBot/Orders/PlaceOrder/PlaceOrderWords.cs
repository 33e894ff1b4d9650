using AriaBot.Language;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>What the place-an-order dialog says; wordings in <c>dialogs/PlaceOrder/</c>.</summary>
[WordKeys]
public static class PlaceOrderWords
{
    /// <summary>No active master plan to bill the order to.</summary>
    public static readonly WordKey NoPlan = new("placeOrder.noPlan");
    public static readonly WordKey WhichInstance = new("placeOrder.whichInstance");
    public static readonly WordKey NothingToOrder = new("placeOrder.nothingToOrder");
    public static readonly WordKey WhichItem = new("placeOrder.whichItem");
    public static readonly WordKey WhichItemRetry = new("placeOrder.whichItemRetry");

    /// <summary>The message named a thing that is not among the visible items; the item list follows.</summary>
    public static readonly WordKey NotSold = new("placeOrder.notSold");

    /// <summary>An item's button: its name and unit price.</summary>
    public static readonly WordKey ItemButton = new("placeOrder.itemButton", "item", "price");
    public static readonly WordKey HowMany = new("placeOrder.howMany", "item", "max");
    public static readonly WordKey HowManyRetry = new("placeOrder.howManyRetry", "max");

    /// <summary>The quantity the customer asked for is over the chat limit.</summary>
    public static readonly WordKey TooMany = new("placeOrder.tooMany", "max");

    /// <summary>The same item added again would go over the limit; it was capped.</summary>
    public static readonly WordKey Capped = new("placeOrder.capped", "item", "max");
    public static readonly WordKey AnythingElse = new("placeOrder.anythingElse", "cart");

    /// <summary>The order holds as many different items as one chat order may.</summary>
    public static readonly WordKey CartFull = new("placeOrder.cartFull", "max");
    public static readonly WordKey Title = new("placeOrder.title");
    public static readonly WordKey Description = new("placeOrder.description", "items");
    public static readonly WordKey Done = new("placeOrder.done", "items");
    public static readonly WordKey DoneWithNumber = new("placeOrder.doneWithNumber", "items", "order");

    /// <summary>Under the preview when the order is billed, and charged, at once (<c>bill_immediately=1</c>).</summary>
    public static readonly WordKey BilledNow = new("placeOrder.billedNow");

    /// <summary>The line for credits Aria reports on the order's invoice.</summary>
    public static readonly WordKey Credits = new("placeOrder.credits");
}
