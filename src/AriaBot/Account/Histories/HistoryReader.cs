using System.Globalization;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Language;

namespace AriaBot.Account.Histories;

/// <summary>One page of a history as the customer reads it, or why it could not be read.</summary>
public sealed record HistoryPage(IReadOnlyList<CardRow> Rows, bool More, AriaError? Error = null)
{
    /// <summary>For statements: each shown statement's number and invoice, to offer its content by link.</summary>
    public IReadOnlyList<(long StatementNo, long InvoiceNo)> Statements { get; init; } = [];
}

/// <summary>
/// Reads one page of a history from Aria, newest first, always afresh. Aria filters by date where the call can; where it
/// cannot (orders) the page is filtered here. Amounts are in each row's own currency, written the customer's way.
/// </summary>
public sealed class HistoryReader(IAriaClient aria, IWords words)
{
    /// <summary>Rows per page: what fits a chat-width card without scrolling past the question.</summary>
    public const int PageSize = 5;

    public async Task<HistoryPage> ReadAsync(long accountNo, HistoryKind kind, HistoryOptions options, string? locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var skip = options.Page * PageSize;
        // One more than the page, to know whether there is a next one.
        var wanted = skip + PageSize + 1;
        return kind switch
        {
            HistoryKind.Transactions => await TransactionsAsync(accountNo, options, skip, wanted, locale, cancellationToken).ConfigureAwait(false),
            HistoryKind.Payments => await PaymentsAsync(accountNo, options, skip, wanted, locale, cancellationToken).ConfigureAwait(false),
            HistoryKind.Invoices => await InvoicesAsync(accountNo, options, skip, locale, cancellationToken).ConfigureAwait(false),
            HistoryKind.Statements => await StatementsAsync(accountNo, options, skip, locale, cancellationToken).ConfigureAwait(false),
            _ => await OrdersAsync(accountNo, options, skip, locale, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<HistoryPage> TransactionsAsync(long accountNo, HistoryOptions options, int skip, int wanted, string? locale, CancellationToken cancellationToken)
    {
        var read = await aria.GetAcctTransHistoryAsync(new GetAcctTransHistoryMRequest { AccountNo = accountNo, StartDate = options.From, EndDate = options.To, RecordLimit = Math.Min(wanted, 999) }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return Failed(read.Error);
        }
        return Page(read.Value.History ?? [], skip, row =>
        {
            // Payments and credits take money off what is owed: shown as negative, as on a statement.
            var credit = row.TransactionType is 2 or 3 or 6 or 10;
            var amount = (row.TransactionAmount ?? 0) * (credit ? -1 : 1);
            return new CardRow(row.TransactionDesc ?? words.Format(HistoryWords.Transaction, locale, new { type = row.TransactionType?.ToString(CultureInfo.InvariantCulture) ?? "?" }),
                DateText(row.TransactionCreateDate, locale), WordsFormat.Money(amount, row.TransactionCurrency ?? "usd", locale));
        });
    }

    private async Task<HistoryPage> PaymentsAsync(long accountNo, HistoryOptions options, int skip, int wanted, string? locale, CancellationToken cancellationToken)
    {
        var read = await aria.GetAcctPaymentHistoryAsync(new GetAcctPaymentHistoryMRequest { AcctNo = accountNo, StartDate = options.From, EndDate = options.To, LimitRecords = Math.Min(wanted, 999) }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return Failed(read.Error);
        }
        return Page(read.Value.AcctPaymentHistory ?? [], skip, row =>
        {
            var method = row.CcSuffix is { Length: > 0 } suffix ? words.Format(HistoryWords.PaymentSuffix, locale, new { suffix }) : row.PaymentSource ?? string.Empty;
            var detail = string.Join(" · ", new[] { DateText(row.PaymentDate, locale), row.PaymentStatus }.Where(part => !string.IsNullOrEmpty(part)));
            return new CardRow(words.Format(HistoryWords.Payment, locale, new { method }), detail, WordsFormat.Money(row.PaymentAmount ?? 0, row.PaymentCurrency ?? "usd", locale));
        });
    }

    private async Task<HistoryPage> InvoicesAsync(long accountNo, HistoryOptions options, int skip, string? locale, CancellationToken cancellationToken)
    {
        var read = await aria.GetInvoiceHistoryAsync(new GetInvoiceHistoryMRequest { AcctNo = accountNo, StartBillDate = options.From, EndBillDate = options.To }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return Failed(read.Error);
        }
        var invoices = (read.Value.InvoiceHist ?? []).Where(invoice => invoice.IsVoidedInd != 1 && invoice.InvoiceNo is not null)
            .OrderByDescending(invoice => invoice.BillDate, StringComparer.Ordinal).ThenByDescending(invoice => invoice.InvoiceNo).ToList();
        List<CardRow> rows = [];
        foreach (var invoice in invoices.Skip(skip).Take(PageSize))
        {
            var currency = invoice.CurrencyCd ?? "usd";
            var paid = invoice.PaidDate is { Length: > 0 } ? words.Format(HistoryWords.Paid, locale, new { date = DateText(invoice.PaidDate, locale) }) : words.Format(HistoryWords.Unpaid, locale);
            rows.Add(new CardRow(
                words.Format(HistoryWords.Invoice, locale, new { number = invoice.InvoiceNo!.Value.ToString(CultureInfo.InvariantCulture) }),
                words.Format(HistoryWords.Billed, locale, new { date = DateText(invoice.BillDate, locale), paid }),
                WordsFormat.Money((invoice.Amount ?? 0) - (invoice.Credit ?? 0), currency, locale)));
            // The invoice's lines beneath it, so the customer sees what each bill was for.
            var lines = await aria.GetInvoiceDetailsAsync(new GetInvoiceDetailsMRequest { AcctNo = accountNo, InvoiceNo = invoice.InvoiceNo }, cancellationToken).ConfigureAwait(false);
            if (!lines.IsSuccess)
            {
                return Failed(lines.Error);
            }
            rows.AddRange((lines.Value.InvoiceLineDetails ?? []).Select(line => new CardRow(
                words.Format(HistoryWords.InvoiceLine, locale, new { line = line.Description ?? line.ServiceName ?? string.Empty }),
                null,
                WordsFormat.Money(line.Amount ?? 0, currency, locale))));
        }
        return new HistoryPage(rows, invoices.Count > skip + PageSize);
    }

    private async Task<HistoryPage> StatementsAsync(long accountNo, HistoryOptions options, int skip, string? locale, CancellationToken cancellationToken)
    {
        var read = await aria.GetAcctStatementHistoryAsync(new GetAcctStatementHistoryMRequest { AcctNo = accountNo, StartDate = options.From, EndDate = options.To }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return Failed(read.Error);
        }
        var statements = (read.Value.StatementsHistory ?? []).OrderByDescending(s => s.CreateDate, StringComparer.Ordinal).ThenByDescending(s => s.StatementNo).ToList();
        var shown = statements.Skip(skip).Take(PageSize).Where(s => s.StatementNo is not null && s.InvoiceNo is not null).Select(s => (s.StatementNo!.Value, s.InvoiceNo!.Value)).ToList();
        return Page(statements, skip, statement => new CardRow(
            words.Format(HistoryWords.Statement, locale, new { number = statement.StatementNo?.ToString(CultureInfo.InvariantCulture) ?? string.Empty }),
            words.Format(HistoryWords.StatementDetail, locale, new
            {
                date = DateText(statement.CreateDate, locale),
                due = DateText(statement.DueDate, locale),
                paid = statement.IsPaidInd == 1 ? words.Format(HistoryWords.PaidPlain, locale) : words.Format(HistoryWords.Unpaid, locale),
            }),
            WordsFormat.Money(statement.TotalAmount ?? 0, statement.CurrencyCd ?? "usd", locale))) with { Statements = shown };
    }

    private async Task<HistoryPage> OrdersAsync(long accountNo, HistoryOptions options, int skip, string? locale, CancellationToken cancellationToken)
    {
        var read = await aria.GetOrderAsync(new GetOrderMRequest { AcctNo = accountNo, DetailsFlag = 1 }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            // 1002: how Aria may answer an account without orders (unverified); that is an empty history, not a failure.
            return read.Error.Is(AriaErrorCode.NoDataFound) ? new HistoryPage([], false) : Failed(read.Error);
        }
        // get_order_m takes no dates, so the period is applied here.
        var orders = (read.Value.Orders ?? []).Where(order => HistoryPeriod.Contains(options, HistoryPeriod.ParseAriaDate(order.CreateDate)))
            .OrderByDescending(order => order.CreateDate, StringComparer.Ordinal).ThenByDescending(order => order.OrderNo).ToList();
        return Page(orders, skip, order => new CardRow(
            string.Join(", ", (order.OrderItems ?? []).Select(item => $"{WordsFormat.Number(item.Units ?? 1, locale)} × {item.Label ?? item.ClientSku}")),
            words.Format(HistoryWords.Order, locale, new
            {
                number = order.OrderNo?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                date = DateText(order.CreateDate, locale),
                status = order.StatusLabel ?? string.Empty,
            }),
            WordsFormat.Money(order.Amount ?? 0, order.CurrencyCd ?? "usd", locale)));
    }

    private static HistoryPage Page<T>(IReadOnlyList<T> newestFirst, int skip, Func<T, CardRow> row) =>
        new([.. newestFirst.Skip(skip).Take(PageSize).Select(row)], newestFirst.Count > skip + PageSize);

    private static HistoryPage Failed(AriaError error) => new([], false, error);

    private static string DateText(string? ariaDate, string? locale) =>
        HistoryPeriod.ParseAriaDate(ariaDate) is { } date ? WordsFormat.Date(date, locale) : ariaDate ?? string.Empty;
}
