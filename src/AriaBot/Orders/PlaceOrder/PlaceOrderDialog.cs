using Aria.Client;
using Aria.Client.Models;
using AriaBot.Catalog;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Plans;
using AriaBot.SelfService;
using AriaBot.Session;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>What the customer already said ("order 2 routers"), and the order built so far when adding another item.</summary>
public sealed class PlaceOrderOptions
{
    /// <summary>The item's <c>client_sku</c>, from the visible catalog only.</summary>
    public string? ItemSku { get; set; }

    public int? Quantity { get; set; }

    /// <summary>The message named something no visible item matched ("order a pizza"): said before the item list.</summary>
    public bool NamedUnsoldThing { get; set; }

    /// <summary>Lines already chosen (the customer said yes to "anything else?").</summary>
    public List<CartLine> Cart { get; set; } = [];

    /// <summary>The master plan instance the order is billed to, once chosen.</summary>
    public BillTo? BillTo { get; set; }
}

/// <summary>One line of the order being built.</summary>
public sealed record CartLine(string Sku, string Label, int Units);

/// <summary>The master plan instance an order is billed to, and the currency its items are priced in.</summary>
public sealed record BillTo(long PlanInstanceNo, string Currency);

/// <summary>An item the customer may pick, priced in the account's currency.</summary>
public sealed record OrderableItem(string Sku, string Label, decimal UnitPrice);

/// <summary>
/// Place an order (<c>create_order_m</c>): pick the master plan to bill (when there are several), pick an item among
/// the visible, active items priced in the account's currency, say how many, optionally add more items, then the
/// shared preview-and-confirm turn. Items Aria marks inactive or the operator hides are never offered, and typing
/// their name gets the same answer as an item that does not exist.
/// </summary>
public sealed class PlaceOrderDialog : AccountDialog
{
    public const string DialogId = "placeOrder";
    private const string StepsId = "placeOrderSteps";
    private const string InstancePrompt = "placeOrderInstance";
    private const string ItemPrompt = "placeOrderItem";
    private const string QuantityPrompt = "placeOrderQuantity";
    private const string MorePrompt = "placeOrderMore";

    private readonly IAriaClient _aria;
    private readonly IItemCatalog _catalog;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;

    public PlaceOrderDialog(IAccountSession session, IWords words, IAriaClient aria, IItemCatalog catalog, IOptionsMonitor<SelfServiceOptions> selfService)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _catalog = catalog;
        _selfService = selfService;
        AddDialog(new WaterfallDialog(StepsId, version: 1)
            .WithOptions<PlaceOrderOptions>()
            .Step(ChooseInstanceAsync)
            .Step(ChooseItemAsync)
            .Step(AskQuantityAsync)
            .Step(AskForMoreAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(InstancePrompt));
        AddDialog(new ChoicePrompt(ItemPrompt));
        AddDialog(new NumberPrompt<int>(QuantityPrompt, ValidateQuantityAsync));
        AddDialog(new ConfirmPrompt(MorePrompt));
    }

    private OrderRules Rules => _selfService.CurrentValue.Orders;

    private async Task<DialogTurnResult> ChooseInstanceAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.GetOptions<PlaceOrderOptions>()?.BillTo is { } chosen)
        {
            step.Values.Set("billTo", chosen);
            return await step.NextAsync(null, cancellationToken).ConfigureAwait(false);
        }
        var plans = await AccountPlans.ReadAsync(_aria, AccountOfDialog(step), cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(plans.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        // Aria bills an order on a master plan instance with an active billing group; cancelled or suspended ones cannot.
        var masters = plans.Value.Where(plan => !plan.IsSupplemental && plan.IsChangeable).OrderBy(plan => plan.PlanInstanceNo).ToList();
        if (masters.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(PlaceOrderWords.NoPlan, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("masters", masters);
        if (masters.Count == 1)
        {
            return await step.NextAsync(0, cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(InstancePrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(PlaceOrderWords.WhichInstance, locale)),
            Choices = [.. masters.Select(plan => new Choice($"{plan.Name} #{plan.PlanInstanceNo}"))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ChooseItemAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var catalog = await _catalog.VisibleItemsAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(catalog.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var billTo = step.Values.Get<BillTo>("billTo");
        if (billTo is null)
        {
            var masters = step.Values.Get<List<AccountPlan>>("masters")!;
            var master = masters[step.Result is FoundChoice choice ? choice.Index : step.ResultAs<int>()];
            billTo = new BillTo(master.PlanInstanceNo, CurrencyOf(master, catalog.Value));
            step.Values.Set("billTo", billTo);
        }

        // Only what can be quoted in the account's currency is offered: Aria prices the order in it.
        List<OrderableItem> items = [.. catalog.Value
            .Where(item => item.UnitPriceIn(billTo.Currency) is not null)
            .Select(item => new OrderableItem(item.ClientSku, item.Label, item.UnitPriceIn(billTo.Currency)!.Value))];
        if (items.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(PlaceOrderWords.NothingToOrder, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("items", items);

        if (step.GetOptions<PlaceOrderOptions>()?.ItemSku is { } wanted
            && items.FindIndex(item => string.Equals(item.Sku, wanted, StringComparison.OrdinalIgnoreCase)) is var prefilled and >= 0)
        {
            return await step.NextAsync(prefilled, cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(ItemPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(step.GetOptions<PlaceOrderOptions>()?.NamedUnsoldThing == true ? PlaceOrderWords.NotSold : PlaceOrderWords.WhichItem, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(PlaceOrderWords.WhichItemRetry, locale)),
            Choices = [.. items.Select(item => new Choice(
                Words.Format(PlaceOrderWords.ItemButton, locale, new { item = item.Label, price = WordsFormat.Money(item.UnitPrice, billTo.Currency, locale) }),
                [item.Label, item.Sku]))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AskQuantityAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var items = step.Values.Get<List<OrderableItem>>("items")!;
        var item = items[step.Result is FoundChoice choice ? choice.Index : step.ResultAs<int>()];
        step.Values.Set("item", item);

        var max = Rules.MaxUnitsPerItem;
        // The quantity said up front ("order 2 routers") belongs to the first item only; options of a later pass have none.
        var said = step.GetOptions<PlaceOrderOptions>()?.Quantity;
        if (said is { } units && units >= 1 && units <= max)
        {
            return await step.NextAsync(units, cancellationToken).ConfigureAwait(false);
        }
        if (said > max)
        {
            await step.Context.SendActivityAsync(Words.Format(PlaceOrderWords.TooMany, locale, new { max }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(QuantityPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(PlaceOrderWords.HowMany, locale, new { item = item.Label, max })),
            RetryPrompt = MessageFactory.Text(Words.Format(PlaceOrderWords.HowManyRetry, locale, new { max })),
            Validations = new QuantityRange(max),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A whole number from 1 to the chat limit; anything else is asked again.</summary>
    private static Task<bool> ValidateQuantityAsync(PromptValidatorContext<int> prompt, CancellationToken cancellationToken)
    {
        var range = prompt.Options.GetValidations<QuantityRange>();
        return Task.FromResult(prompt.Recognized.Succeeded && prompt.Recognized.Value >= 1 && prompt.Recognized.Value <= (range?.Max ?? int.MaxValue));
    }

    private async Task<DialogTurnResult> AskForMoreAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var item = step.Values.Get<OrderableItem>("item")!;
        var units = step.ResultAs<int>();
        var max = Rules.MaxUnitsPerItem;
        List<CartLine> cart = [.. step.GetOptions<PlaceOrderOptions>()?.Cart ?? []];
        var existing = cart.FindIndex(line => line.Sku == item.Sku);
        if (existing >= 0)
        {
            // The same item again adds to its line: one line per SKU reads better and prices the same.
            var total = cart[existing].Units + units;
            if (total > max)
            {
                await step.Context.SendActivityAsync(Words.Format(PlaceOrderWords.Capped, locale, new { item = item.Label, max }), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            cart[existing] = cart[existing] with { Units = Math.Min(total, max) };
        }
        else
        {
            cart.Add(new CartLine(item.Sku, item.Label, units));
        }
        step.Values.Set("cart", cart);

        var items = step.Values.Get<List<OrderableItem>>("items")!;
        if (cart.Count >= items.Count)
        {
            // Everything on offer is in the order already: nothing else to add.
            return await step.NextAsync(false, cancellationToken).ConfigureAwait(false);
        }
        if (cart.Count >= Rules.MaxItemsPerOrder)
        {
            await step.Context.SendActivityAsync(Words.Format(PlaceOrderWords.CartFull, locale, new { max = Rules.MaxItemsPerOrder }), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await step.NextAsync(false, cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(MorePrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(PlaceOrderWords.AnythingElse, locale, new { cart = Describe(cart) })),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var cart = step.Values.Get<List<CartLine>>("cart")!;
        var billTo = step.Values.Get<BillTo>("billTo")!;
        if (step.Result is true)
        {
            // Round again for the next item, carrying the order so far; the words said up front are used up.
            return await step.ReplaceDialogAsync(StepsId, new PlaceOrderOptions { Cart = cart, BillTo = billTo }, cancellationToken).ConfigureAwait(false);
        }

        var rules = Rules;
        var request = new CreateOrderMRequest
        {
            AcctNo = AccountOfDialog(step),
            PlanInstanceNo = billTo.PlanInstanceNo,
            OrderLineItems = [.. cart.Select(line => new OrderLineItem { ClientSku = line.Sku, Units = line.Units })],
            BillImmediately = rules.BillImmediately,
        };
        var items = Describe(cart);
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = CreateOrderChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(PlaceOrderWords.Title, locale),
            Description = Words.Format(PlaceOrderWords.Description, locale, new { items }),
            DoneText = Words.Format(PlaceOrderWords.Done, locale, new { items }),
            DoneTextWithDetail = Words.Format(PlaceOrderWords.DoneWithNumber, locale, new { items, order = ConfirmChangeOptions.DetailPlaceholder }),
            Currency = billTo.Currency,
            Consequences = rules.BillImmediately == 1 ? [Words.Format(PlaceOrderWords.BilledNow, locale)] : [],
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.EndDialogAsync(step.Result, cancellationToken);

    /// <summary>"2 × Wi-Fi 6 Router, 1 × USB Headset": the same in every language, as labels are Aria's.</summary>
    private static string Describe(IEnumerable<CartLine> cart) =>
        string.Join(", ", cart.Select(line => $"{line.Units.ToString(System.Globalization.CultureInfo.InvariantCulture)} × {line.Label}"));

    /// <summary>
    /// The currency the order is priced in: the master plan's. If Aria does not say, the catalog's when it sells in
    /// one currency only, else USD as switch plan assumes (Aria has always named the instance's currency where seen).
    /// </summary>
    private static string CurrencyOf(AccountPlan master, IReadOnlyList<CatalogItem> catalog)
    {
        if (master.Currency is { Length: > 0 } currency)
        {
            return currency.ToUpperInvariant();
        }
        var currencies = catalog.SelectMany(item => item.UnitPrices.Keys).Distinct(StringComparer.Ordinal).ToList();
        return currencies.Count == 1 ? currencies[0] : "USD";
    }

    /// <summary>The quantity prompt's limit, kept with the prompt's saved options.</summary>
    internal sealed record QuantityRange(int Max);
}
