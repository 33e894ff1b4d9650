using System.Globalization;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Plans;

/// <summary>Turns Aria's reply to a plan change (preview or write) into what the customer is shown.</summary>
public static class PlanChangeSummary
{
    public static PreviewSummary From(PlanChangeResponse response, string currency, string? effective, string? locale)
    {
        ArgumentNullException.ThrowIfNull(response);
        var lines = (response.AcctPlanLineItems ?? [])
            .Where(line => line.LineAmount is not null)
            .Select(line => new PreviewLine(
                line.Description ?? line.PlanName ?? line.ServiceName ?? string.Empty,
                line.LineAmount!.Value,
                line.LineUnits,
                Period(line.DateRangeStart, line.DateRangeEnd, locale)))
            .ToList();
        var tax = (response.TotalTaxCharges ?? 0) - (response.TotalTaxCredit ?? 0);
        var beforeTax = response.TotalChargesBeforeTax is { } charges ? charges - (response.TotalCreditBeforeTax ?? response.TotalCredit ?? 0) : (decimal?)null;
        return new PreviewSummary
        {
            Currency = currency,
            Lines = lines,
            TotalBeforeTax = beforeTax,
            Tax = response.TotalTaxCharges is null ? null : tax,
            Total = response.Total ?? response.ProrationResultAmount ?? lines.Sum(line => line.Amount),
            Effective = effective,
        };
    }

    private static string? Period(string? start, string? end, string? locale) =>
        TryDate(start, out var from) && TryDate(end, out var to)
            ? $"{WordsFormat.Date(from, locale)} – {WordsFormat.Date(to, locale)}"
            : null;

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
