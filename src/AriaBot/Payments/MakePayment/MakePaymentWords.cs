using AriaBot.Language;

namespace AriaBot.Payments.MakePayment;

/// <summary>What the one-time payment says; wordings in <c>dialogs/MakePayment/</c>.</summary>
[WordKeys]
public static class MakePaymentWords
{
    public static readonly WordKey BalanceDue = new("makePayment.balanceDue", "balance");
    public static readonly WordKey NothingDue = new("makePayment.nothingDue", "balance");
    public static readonly WordKey NoUsableMethod = new("makePayment.noUsableMethod");
    public static readonly WordKey HowMuch = new("makePayment.howMuch", "balance");
    public static readonly WordKey HowMuchRetry = new("makePayment.howMuchRetry");
    public static readonly WordKey FullBalanceButton = new("makePayment.fullBalanceButton");

    public static readonly WordKey NotUnderstood = new("makePayment.notUnderstood");
    public static readonly WordKey Zero = new("makePayment.zero");
    public static readonly WordKey Negative = new("makePayment.negative");
    public static readonly WordKey TooManyDecimals = new("makePayment.tooManyDecimals");
    public static readonly WordKey OtherCurrency = new("makePayment.otherCurrency", "currency");
    public static readonly WordKey OverMaximum = new("makePayment.overMaximum", "max");
    public static readonly WordKey OverBalance = new("makePayment.overBalance", "balance");

    public static readonly WordKey WhichMethod = new("makePayment.whichMethod");
    public static readonly WordKey WhichMethodRetry = new("makePayment.whichMethodRetry");
    public static readonly WordKey CardMethod = new("makePayment.cardMethod", "brand", "suffix");
    public static readonly WordKey CardBrandUnknown = new("makePayment.cardBrandUnknown");
    public static readonly WordKey BankMethod = new("makePayment.bankMethod", "suffix");

    public static readonly WordKey Title = new("makePayment.title", "amount");
    public static readonly WordKey CardLine = new("makePayment.cardLine", "method");
    public static readonly WordKey CardBalanceAfter = new("makePayment.cardBalanceAfter", "balance");
    public static readonly WordKey Description = new("makePayment.description", "amount", "method");
    public static readonly WordKey Done = new("makePayment.done", "amount", "method", "balance");
    public static readonly WordKey DoneWithReceipt = new("makePayment.doneWithReceipt", "amount", "method", "balance", "receipt");

    public static readonly WordKey Declined = new("makePayment.declined", "reason");
    public static readonly WordKey ReasonNotAuthorised = new("makePayment.reasonNotAuthorised");
    public static readonly WordKey ReasonNotCollected = new("makePayment.reasonNotCollected");
    public static readonly WordKey WhatNext = new("makePayment.whatNext");
    public static readonly WordKey WhatNextAfterTwo = new("makePayment.whatNextAfterTwo");
    public static readonly WordKey UpdateMethodChoice = new("makePayment.updateMethodChoice");
    public static readonly WordKey PersonChoice = new("makePayment.personChoice");
}
