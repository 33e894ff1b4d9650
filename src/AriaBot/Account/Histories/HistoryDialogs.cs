using Aria.Client;
using AriaBot.Account.Statements;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.Histories;

/// <summary>"Show my transactions" (and "my payments", which the classifier may read as transactions).</summary>
public sealed class TransactionHistoryDialog(IAccountSession session, IWords words, IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService,
    StatementLinks statementLinks, IOptionsMonitor<StatementLinkOptions> linkOptions)
    : HistoryDialog(DialogId, HistoryKind.Transactions, session, words, aria, selfService, statementLinks, linkOptions)
{
    public const string DialogId = "transactionHistory";
}

/// <summary>"Show my statements", "my invoices", "payment history": the billing documents and what was paid.</summary>
public sealed class StatementHistoryDialog(IAccountSession session, IWords words, IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService,
    StatementLinks statementLinks, IOptionsMonitor<StatementLinkOptions> linkOptions)
    : HistoryDialog(DialogId, HistoryKind.Statements, session, words, aria, selfService, statementLinks, linkOptions)
{
    public const string DialogId = "statementHistory";
}

/// <summary>"Show my orders": inventory orders placed on the account.</summary>
public sealed class OrderHistoryDialog(IAccountSession session, IWords words, IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService,
    StatementLinks statementLinks, IOptionsMonitor<StatementLinkOptions> linkOptions)
    : HistoryDialog(DialogId, HistoryKind.Orders, session, words, aria, selfService, statementLinks, linkOptions)
{
    public const string DialogId = "orderHistory";
}
