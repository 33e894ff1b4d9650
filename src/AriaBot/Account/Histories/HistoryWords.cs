using AriaBot.Language;

namespace AriaBot.Account.Histories;

/// <summary>The history cards; wordings in <c>dialogs/Histories/</c>.</summary>
[WordKeys]
public static class HistoryWords
{
    public static readonly WordKey TransactionsTitle = new("history.transactionsTitle");
    public static readonly WordKey PaymentsTitle = new("history.paymentsTitle");
    public static readonly WordKey InvoicesTitle = new("history.invoicesTitle");
    public static readonly WordKey StatementsTitle = new("history.statementsTitle");
    public static readonly WordKey OrdersTitle = new("history.ordersTitle");

    /// <summary>The history is empty (in the period, when one was given).</summary>
    public static readonly WordKey TransactionsEmpty = new("history.transactionsEmpty", "period");
    public static readonly WordKey PaymentsEmpty = new("history.paymentsEmpty", "period");
    public static readonly WordKey InvoicesEmpty = new("history.invoicesEmpty", "period");
    public static readonly WordKey StatementsEmpty = new("history.statementsEmpty", "period");
    public static readonly WordKey OrdersEmpty = new("history.ordersEmpty", "period");

    public static readonly WordKey Since = new("history.since", "date");
    public static readonly WordKey Until = new("history.until", "date");
    public static readonly WordKey Between = new("history.between", "from", "to");
    public static readonly WordKey AllTime = new("history.allTime");

    /// <summary>The button (and typed words) for the next page.</summary>
    public static readonly WordKey ShowMore = new("history.showMore");

    /// <summary>Under a page with more after it, for channels without buttons too.</summary>
    public static readonly WordKey MoreHint = new("history.moreHint", "button");
    public static readonly WordKey NoMore = new("history.noMore");

    public static readonly WordKey Payment = new("history.payment", "method");
    public static readonly WordKey PaymentSuffix = new("history.paymentSuffix", "suffix");
    public static readonly WordKey Invoice = new("history.invoice", "number");
    public static readonly WordKey InvoiceLine = new("history.invoiceLine", "line");
    public static readonly WordKey Statement = new("history.statement", "number");
    public static readonly WordKey Order = new("history.order", "number", "date", "status");
    public static readonly WordKey Paid = new("history.paid", "date");
    public static readonly WordKey PaidPlain = new("history.paidPlain");
    public static readonly WordKey Unpaid = new("history.unpaid");
    public static readonly WordKey Billed = new("history.billed", "date", "paid");
    public static readonly WordKey StatementDetail = new("history.statementDetail", "date", "due", "paid");
    public static readonly WordKey Transaction = new("history.transaction", "type");

    // "Why is my bill higher?"
    public static readonly WordKey BillHigher = new("history.billHigher", "latest", "previous", "difference", "date", "previousDate");
    public static readonly WordKey BillLower = new("history.billLower", "latest", "previous", "difference", "date", "previousDate");
    public static readonly WordKey BillSame = new("history.billSame", "latest", "previous", "difference", "date", "previousDate");
    public static readonly WordKey OnlyOneBill = new("history.onlyOneBill");
    public static readonly WordKey WhatChanged = new("history.whatChanged");
    public static readonly WordKey BilledApart = new("history.billedApart");
    public static readonly WordKey NoLineChanged = new("history.noLineChanged");
    public static readonly WordKey ChangeNew = new("history.changeNew", "name");
    public static readonly WordKey ChangeGone = new("history.changeGone", "name");
    public static readonly WordKey ChangeUnits = new("history.changeUnits", "name", "before", "after");
    public static readonly WordKey ChangeProrated = new("history.changeProrated", "name");
    public static readonly WordKey ChangePrice = new("history.changePrice", "name", "before", "after");
    public static readonly WordKey BillChangeTitle = new("history.billChangeTitle");
}
