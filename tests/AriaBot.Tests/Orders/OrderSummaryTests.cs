using Aria.Client.Models;
using AriaBot.Orders.PlaceOrder;

namespace AriaBot.Tests.Orders;

public sealed class OrderSummaryTests
{
    [Fact]
    public void Aria_lines_and_totals_are_shown_as_returned_with_tax()
    {
        var summary = OrderSummary.From(new CreateOrderMResponse
        {
            CartInvoiceLineItems =
            [
                new CartInvoiceLineItem { Description = "Wi-Fi 6 Router x 2", ServiceName = "Wi-Fi 6 Router sale", LineUnits = 2, LineAmount = 258m },
                new CartInvoiceLineItem { ServiceName = "USB Headset sale", LineUnits = 1, LineAmount = 49.5m },
            ],
            TotalChargesBeforeTax = 307.5m,
            TotalTaxCharges = 24.6m,
            TotalChargesAfterTax = 332.1m,
            TotalCredit = 0m,
        }, "USD", billedLater: false, "Credits");

        Assert.Equal([("Wi-Fi 6 Router x 2", 258m), ("USB Headset sale", 49.5m)], summary.Lines.Select(line => (line.Description, line.Amount)));
        Assert.Equal((307.5m, 24.6m, 332.1m, false), (summary.TotalBeforeTax, summary.Tax, summary.Total, summary.BilledLater));
    }

    [Fact]
    public void Credits_are_shown_as_a_line_and_taken_off_the_total()
    {
        var summary = OrderSummary.From(new CreateOrderMResponse
        {
            CartInvoiceLineItems = [new CartInvoiceLineItem { Description = "Mesh Extender x 1", LineAmount = 79m }],
            TotalChargesBeforeTax = 79m,
            TotalChargesAfterTax = 79m,
            TotalCredit = 10m,
        }, "EUR", billedLater: true, "Abonos");

        Assert.Equal(("Abonos", -10m), (summary.Lines[^1].Description, summary.Lines[^1].Amount));
        Assert.Equal(69m, summary.Total);
        Assert.True(summary.BilledLater);
        Assert.Equal("EUR", summary.Currency);
    }

    [Fact]
    public void Without_totals_the_lines_and_tax_make_the_total()
    {
        var summary = OrderSummary.From(new CreateOrderMResponse
        {
            CartInvoiceLineItems = [new CartInvoiceLineItem { Description = "Ethernet Cable 5 m x 3", LineAmount = 29.97m }],
            TotalTaxCharges = 2m,
        }, "USD", billedLater: false, "Credits");

        Assert.Equal(31.97m, summary.Total);
    }

    [Fact]
    public void A_billed_later_preview_differs_from_a_billed_now_one()
    {
        var response = new CreateOrderMResponse { CartInvoiceLineItems = [new CartInvoiceLineItem { Description = "x", LineAmount = 1m }], TotalChargesAfterTax = 1m };
        Assert.NotEqual(
            OrderSummary.From(response, "USD", billedLater: false, "Credits").Fingerprint,
            OrderSummary.From(response, "USD", billedLater: true, "Credits").Fingerprint);
    }
}
