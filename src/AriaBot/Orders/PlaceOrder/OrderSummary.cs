using Aria.Client.Models;
using AriaBot.Changes;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>Turns Aria's reply to <c>create_order_m</c> with <c>do_write=false</c> into what the customer is shown.</summary>
public static class OrderSummary
{
    /// <param name="creditsLabel">The customer's word for a credit line (shown only when Aria reports credits).</param>
    public static PreviewSummary From(CreateOrderMResponse response, string currency, bool billedLater, string creditsLabel)
    {
        ArgumentNullException.ThrowIfNull(response);
        // Aria's own lines, as the invoice would have them; the dates are deprecated for orders and left out.
        List<PreviewLine> lines = [.. (response.CartInvoiceLineItems ?? [])
            .Where(line => line.LineAmount is not null)
            .Select(line => new PreviewLine(line.Description ?? line.ServiceName ?? string.Empty, line.LineAmount!.Value, line.LineUnits))];
        // total_credit is "the sum of all the credits on the invoice"; total_charges_after_tax is charges plus tax, so
        // the credit is taken off to get what is billed (unverified against Aria: no order credits were seen).
        var credit = response.TotalCredit ?? 0;
        if (credit > 0)
        {
            lines.Add(new PreviewLine(creditsLabel, -credit));
        }
        var afterTax = response.TotalChargesAfterTax
            ?? (response.TotalChargesBeforeTax ?? lines.Where(line => line.Amount > 0).Sum(line => line.Amount)) + (response.TotalTaxCharges ?? 0);
        return new PreviewSummary
        {
            Currency = currency,
            Lines = lines,
            TotalBeforeTax = response.TotalChargesBeforeTax,
            Tax = response.TotalTaxCharges,
            Total = afterTax - credit,
            BilledLater = billedLater,
        };
    }
}
