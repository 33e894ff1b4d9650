using System.Text.RegularExpressions;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Account.Histories;

/// <summary>The histories as the shell offers them (registered with <c>AddUseCase</c>).</summary>
public static partial class HistoryUseCases
{
    /// <summary>
    /// <see cref="Intent.ViewTransactions"/>: the transaction history, or the payment history when the message is about
    /// payments. Switched off with <c>SelfService:Sections:Transactions</c> and <c>PaymentHistory</c> (both off: not offered).
    /// </summary>
    public static UseCase<TransactionHistoryDialog> Transactions { get; } = new(
        Intent.ViewTransactions,
        sections => sections.Transactions || sections.PaymentHistory,
        understanding => OptionsFor(understanding,
            BillChange().IsMatch(understanding.Text) ? HistoryKind.BillChange
            : Payments().IsMatch(understanding.Text) ? HistoryKind.Payments
            : HistoryKind.Transactions));

    /// <summary>
    /// <see cref="Intent.ViewStatements"/>: statements, or invoices, or payments, by what the message names. Switched off
    /// with <c>SelfService:Sections:Statements</c>, <c>Invoices</c> and <c>PaymentHistory</c> (all off: not offered).
    /// </summary>
    public static UseCase<StatementHistoryDialog> Statements { get; } = new(
        Intent.ViewStatements,
        sections => sections.Statements || sections.Invoices || sections.PaymentHistory,
        understanding => OptionsFor(understanding,
            BillChange().IsMatch(understanding.Text) ? HistoryKind.BillChange
            : Payments().IsMatch(understanding.Text) ? HistoryKind.Payments
            : Invoices().IsMatch(understanding.Text) ? HistoryKind.Invoices
            : HistoryKind.Statements));

    /// <summary><see cref="Intent.ViewOrders"/>: past inventory orders; switched off with <c>SelfService:Sections:Orders</c>.</summary>
    public static UseCase<OrderHistoryDialog> Orders { get; } = new(
        Intent.ViewOrders,
        sections => sections.Orders,
        understanding => OptionsFor(understanding, HistoryKind.Orders));

    private static HistoryOptions OptionsFor(UnderstandingResult understanding, HistoryKind kind)
    {
        var (from, to) = HistoryPeriod.From(understanding.Entities.Dates);
        return new HistoryOptions { Kind = kind, From = from, To = to };
    }

    [GeneratedRegex(@"\b(pay(ment)?s?|paid|pag(o|os|ado|ados|ué|ue))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Payments();

    /// <summary>A question about a bill that changed: "why is my bill higher", "my bill went up", "¿por qué ha subido mi factura?".</summary>
    [GeneratedRegex(@"\b(higher|more than (last|before|usual)|went up|gone up|go up|increased?|bigger|so much|más alta|más cara|más caro|ha subido|subió|aumentado|aumentó|por qué .*(factura|recibo))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BillChange();

    [GeneratedRegex(@"\b(invoices?|bills?|factura|facturas)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Invoices();
}
