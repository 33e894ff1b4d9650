using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>Issue 23, step 3: catalog names and counts become typed placeholders before the intent is classified.</summary>
public sealed class EntityPlaceholderTests
{
    private static readonly Lazy<Understander> Shared = new(() =>
        new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), new FakeTimeProvider()));

    private static readonly UnderstandingContext Catalog = new()
    {
        Catalog =
        [
            new NamedItem("PREMIUM", "Premium") { Kind = NamedItem.PlanKind },
            new NamedItem("BASIC", "Basic") { Kind = NamedItem.PlanKind },
            new NamedItem("STATIC_IP", "Static IP Address", ["static ip", "ip fija"]) { Kind = NamedItem.PlanKind },
            new NamedItem("LEGACY_FAX", "Fax Line") { Kind = NamedItem.PlanKind },
            new NamedItem("RTR-AX3000", "Wi-Fi 6 Router", ["router", "wifi"]) { Kind = NamedItem.ItemKind },
        ],
    };

    [Fact]
    public void Spans_are_replaced_by_their_placeholder_and_overlaps_are_skipped()
    {
        var text = EntityPlaceholders.Apply("order two routers now", [(6, 3, EntityPlaceholders.Number), (10, 7, EntityPlaceholders.Item), (8, 5, EntityPlaceholders.Plan)]);
        Assert.Equal("order  <NUM>   <ITEM>  now", text);
    }

    [Theory]
    [InlineData("cancel premium", "en-US", "PREMIUM")]
    [InlineData("cancel static ip", "en-US", "STATIC_IP")]
    [InlineData("stop the fax line", "en-US", "LEGACY_FAX")]
    [InlineData("please cancel basic", "en-US", "BASIC")]
    [InlineData("cancelar la ip fija", "es-ES", "STATIC_IP")]
    [InlineData("cancela premium", "es-ES", "PREMIUM")]
    [InlineData("anula el básico", "es-ES", "BASIC")]
    public void An_abort_word_and_a_plan_name_is_cancelling_that_plan(string text, string locale, string planId)
    {
        var result = Shared.Value.Understand(text, locale, Catalog);
        Assert.Equal(Intent.CancelPlan, result.Intent);
        Assert.True(result.IsConfident);
        Assert.Equal(planId, result.NamedItem?.Item.Id);
    }

    [Theory]
    [InlineData("cancel", "en-US")]
    [InlineData("stop that", "en-US")]
    [InlineData("cancela", "es-ES")]
    public void An_abort_word_alone_is_still_stopping(string text, string locale)
    {
        Assert.Equal(Intent.Cancel, Shared.Value.Understand(text, locale, Catalog).Intent);
    }

    [Theory]
    [InlineData("order two routers", "en-US")]
    [InlineData("buy 3 wifi", "en-US")]
    [InlineData("quiero pedir dos routers", "es-ES")]
    public void An_order_of_a_catalog_item_is_an_order_with_its_count(string text, string locale)
    {
        var result = Shared.Value.Understand(text, locale, Catalog);
        Assert.Equal(Intent.PlaceOrder, result.Intent);
        Assert.True(result.IsConfident);
        Assert.Equal("RTR-AX3000", result.NamedItem?.Item.Id);
        Assert.True(result.Entities.Quantity is 2 or 3);
    }

    [Fact]
    public void A_switch_naming_plans_is_a_switch()
    {
        var result = Shared.Value.Understand("move me from basic to premium", "en-US", Catalog);
        Assert.Equal(Intent.SwitchPlan, result.Intent);
        Assert.True(result.IsConfident);
    }
}
