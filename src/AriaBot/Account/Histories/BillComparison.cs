using System.Globalization;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Language;

namespace AriaBot.Account.Histories;

/// <summary>
/// "Why is my bill higher?": the last two regular bills compared line by line (<c>get_invoice_history_m</c>, then
/// <c>get_invoice_details_m</c> for those two), in plain words with the amounts: a plan or add-on that is new or gone,
/// units that changed, a part-period (prorated) charge, a price that changed. Bills outside the regular cycle (orders,
/// mid-period plan changes, one-time charges) since the earlier bill are listed apart with their totals.
/// </summary>
public sealed class BillComparison(IAriaClient aria, IWords words)
{
    /// <summary>
    /// A regular bill covers a whole billing period: Aria's <c>recurring_bill_from</c>–<c>thru</c> span at least 27 days.
    /// Order and one-time invoices cover a day; a plan change mid-period covers what is left of it. (Aria's
    /// <c>invoice_type_cd</c> may tell them apart directly; it is not in the history reply, so this is a heuristic —
    /// unverified against a real tenant.)
    /// </summary>
    public static bool IsRegular(InvoiceHist invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return HistoryPeriod.ParseAriaDate(invoice.RecurringBillFrom) is { } from && HistoryPeriod.ParseAriaDate(invoice.RecurringBillThru) is { } thru
            && thru.DayNumber - from.DayNumber >= 26;
    }

    /// <returns>The card, or null with the error when Aria could not be read; a card with no sections when there is nothing to compare.</returns>
    public async Task<(AccountCard? Card, AriaError? Error)> CompareAsync(long accountNo, string? locale, CancellationToken cancellationToken)
    {
        var history = await aria.GetInvoiceHistoryAsync(new GetInvoiceHistoryMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        if (!history.IsSuccess)
        {
            return (null, history.Error);
        }
        var invoices = (history.Value.InvoiceHist ?? []).Where(invoice => invoice.IsVoidedInd != 1 && invoice.InvoiceNo is not null)
            .OrderByDescending(invoice => invoice.BillDate, StringComparer.Ordinal).ThenByDescending(invoice => invoice.InvoiceNo).ToList();
        var regular = invoices.Where(IsRegular).Take(2).ToList();
        if (regular.Count < 2)
        {
            return (new AccountCard(words.Format(HistoryWords.OnlyOneBill, locale), []), null);
        }
        var (latest, previous) = (regular[0], regular[1]);
        var currency = latest.CurrencyCd ?? "usd";
        string Money(decimal amount) => WordsFormat.Money(amount, currency, locale);

        var latestLines = await aria.GetInvoiceDetailsAsync(new GetInvoiceDetailsMRequest { AcctNo = accountNo, InvoiceNo = latest.InvoiceNo }, cancellationToken).ConfigureAwait(false);
        if (!latestLines.IsSuccess)
        {
            return (null, latestLines.Error);
        }
        var previousLines = await aria.GetInvoiceDetailsAsync(new GetInvoiceDetailsMRequest { AcctNo = accountNo, InvoiceNo = previous.InvoiceNo }, cancellationToken).ConfigureAwait(false);
        if (!previousLines.IsSuccess)
        {
            return (null, previousLines.Error);
        }

        var now = Group(latestLines.Value.InvoiceLineDetails ?? []);
        var before = Group(previousLines.Value.InvoiceLineDetails ?? []);
        List<CardRow> changes = [];
        foreach (var key in now.Keys.Concat(before.Keys).Distinct())
        {
            var after = now.GetValueOrDefault(key);
            var was = before.GetValueOrDefault(key);
            var name = (after ?? was)!.Name;
            var difference = (after?.Amount ?? 0) - (was?.Amount ?? 0);
            if (was is null)
            {
                changes.Add(new CardRow(words.Format(HistoryWords.ChangeNew, locale, new { name }), null, Signed(difference, Money)));
            }
            else if (after is null)
            {
                changes.Add(new CardRow(words.Format(HistoryWords.ChangeGone, locale, new { name }), null, Signed(difference, Money)));
            }
            else if (after.Units != was.Units)
            {
                changes.Add(new CardRow(words.Format(HistoryWords.ChangeUnits, locale, new { name, before = WordsFormat.Number(was.Units, locale), after = WordsFormat.Number(after.Units, locale) }), null, Signed(difference, Money)));
            }
            else if (difference != 0 && (after.Prorated || was.Prorated))
            {
                changes.Add(new CardRow(words.Format(HistoryWords.ChangeProrated, locale, new { name }), null, Signed(difference, Money)));
            }
            else if (difference != 0)
            {
                changes.Add(new CardRow(words.Format(HistoryWords.ChangePrice, locale, new { name, before = Money(was.Amount), after = Money(after.Amount) }), null, Signed(difference, Money)));
            }
        }
        if (changes.Count == 0)
        {
            changes.Add(new CardRow(words.Format(HistoryWords.NoLineChanged, locale)));
        }

        // Bills outside the cycle since the earlier regular bill: a one-time charge or an order is not part of the comparison.
        List<CardRow> apart = [.. invoices
            .Where(invoice => !IsRegular(invoice) && string.CompareOrdinal(invoice.BillDate, previous.BillDate) > 0)
            .Select(invoice => new CardRow(
                words.Format(HistoryWords.Invoice, locale, new { number = invoice.InvoiceNo!.Value.ToString(CultureInfo.InvariantCulture) }),
                DateText(invoice.BillDate, locale),
                Money(Total(invoice))))];

        var (latestTotal, previousTotal) = (Total(latest), Total(previous));
        var delta = latestTotal - previousTotal;
        var title = words.Format(delta > 0 ? HistoryWords.BillHigher : delta < 0 ? HistoryWords.BillLower : HistoryWords.BillSame, locale, new
        {
            latest = Money(latestTotal),
            previous = Money(previousTotal),
            difference = Money(Math.Abs(delta)),
            date = DateText(latest.BillDate, locale),
            previousDate = DateText(previous.BillDate, locale),
        });
        List<CardSection> sections = [new CardSection(words.Format(HistoryWords.WhatChanged, locale), changes)];
        if (apart.Count > 0)
        {
            sections.Add(new CardSection(words.Format(HistoryWords.BilledApart, locale), apart));
        }
        return (new AccountCard(title, sections), null);
    }

    private static decimal Total(InvoiceHist invoice) => (invoice.Amount ?? 0) - (invoice.Credit ?? 0);

    private static string Signed(decimal amount, Func<decimal, string> money) => amount > 0 ? "+" + money(amount) : amount < 0 ? "−" + money(-amount) : money(0);

    private static string DateText(string? ariaDate, string? locale) =>
        HistoryPeriod.ParseAriaDate(ariaDate) is { } date ? WordsFormat.Date(date, locale) : ariaDate ?? string.Empty;

    /// <summary>What one bill charged for one thing (a plan by its number, an item by its SKU, else by its description).</summary>
    private sealed record Charge(string Name, decimal Units, decimal Amount, bool Prorated);

    private static Dictionary<string, Charge> Group(IEnumerable<InvoiceLineDetail> lines) => lines
        .GroupBy(line => line.PlanNo is { } plan ? $"plan:{plan}" : line.ClientSku is { Length: > 0 } sku ? $"sku:{sku}" : $"text:{line.Description ?? line.ServiceName}", StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => new Charge(
            group.First().PlanName ?? group.First().Description ?? group.First().ServiceName ?? string.Empty,
            group.Max(line => line.Units ?? 0),
            group.Sum(line => line.Amount ?? 0),
            group.Any(line => line.ProrationFactor is { } factor && factor != 1)), StringComparer.Ordinal);
}
