using AriaBot.Language;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>What the payment-method dialog and page say; wordings in <c>dialogs/PaymentMethods/</c>.</summary>
[WordKeys]
public static class PaymentMethodsWords
{
    // The masked card, the only way a card is ever shown: "Visa ending 4242, expires 08/29".
    public static readonly WordKey Card = new("paymentMethods.card", "brand", "suffix", "expires");
    public static readonly WordKey Bank = new("paymentMethods.bank", "suffix");
    public static readonly WordKey Primary = new("paymentMethods.primary", "method");
    public static readonly WordKey Backup = new("paymentMethods.backup", "method");
    public static readonly WordKey Expired = new("paymentMethods.expired", "method");

    public static readonly WordKey OnFile = new("paymentMethods.onFile", "methods");
    public static readonly WordKey NoneOnFile = new("paymentMethods.noneOnFile");
    public static readonly WordKey WhatNext = new("paymentMethods.whatNext");
    public static readonly WordKey WhatNextRetry = new("paymentMethods.whatNextRetry");
    public static readonly WordKey ChoiceReplace = new("paymentMethods.choiceReplace");
    public static readonly WordKey ChoiceAdd = new("paymentMethods.choiceAdd");
    public static readonly WordKey ChoiceDisable = new("paymentMethods.choiceDisable");
    public static readonly WordKey ChoiceNothing = new("paymentMethods.choiceNothing");
    public static readonly WordKey NothingChanged = new("paymentMethods.nothingChanged");
    public static readonly WordKey CardsNotAccepted = new("paymentMethods.cardsNotAccepted");

    public static readonly WordKey LinkTitle = new("paymentMethods.linkTitle");
    public static readonly WordKey LinkText = new("paymentMethods.linkText", "minutes");
    public static readonly WordKey LinkButton = new("paymentMethods.linkButton");
    public static readonly WordKey LinksRateLimited = new("paymentMethods.linksRateLimited");

    public static readonly WordKey WhichToDisable = new("paymentMethods.whichToDisable");
    public static readonly WordKey WhichToDisableRetry = new("paymentMethods.whichToDisableRetry");
    public static readonly WordKey ConfirmDisable = new("paymentMethods.confirmDisable", "method");
    public static readonly WordKey ConfirmDisableRetry = new("paymentMethods.confirmDisableRetry");
    public static readonly WordKey Disabled = new("paymentMethods.disabled", "method");
    public static readonly WordKey DisableFailed = new("paymentMethods.disableFailed");

    public static readonly WordKey AddedInChat = new("paymentMethods.addedInChat", "method");
    public static readonly WordKey UnknownInChat = new("paymentMethods.unknownInChat");

    public static readonly WordKey PageHeader = new("paymentMethods.pageHeader");
    public static readonly WordKey PageTitleReplace = new("paymentMethods.pageTitleReplace");
    public static readonly WordKey PageTitleAdd = new("paymentMethods.pageTitleAdd");
    public static readonly WordKey PageIntro = new("paymentMethods.pageIntro");
    public static readonly WordKey PageNumberLabel = new("paymentMethods.pageNumberLabel");
    public static readonly WordKey PageExpiryLabel = new("paymentMethods.pageExpiryLabel");
    public static readonly WordKey PageMonthLabel = new("paymentMethods.pageMonthLabel");
    public static readonly WordKey PageYearLabel = new("paymentMethods.pageYearLabel");
    public static readonly WordKey PageCvvLabel = new("paymentMethods.pageCvvLabel");
    public static readonly WordKey PageSubmit = new("paymentMethods.pageSubmit");
    public static readonly WordKey PageNote = new("paymentMethods.pageNote");
    public static readonly WordKey PageBadCard = new("paymentMethods.pageBadCard");
    public static readonly WordKey PageBadExpiry = new("paymentMethods.pageBadExpiry");
    public static readonly WordKey PageBadCvv = new("paymentMethods.pageBadCvv");
    public static readonly WordKey PageRefused = new("paymentMethods.pageRefused");
    public static readonly WordKey PageAddedTitle = new("paymentMethods.pageAddedTitle");
    public static readonly WordKey PageAdded = new("paymentMethods.pageAdded", "method");
    public static readonly WordKey PageLinkUnusableTitle = new("paymentMethods.pageLinkUnusableTitle");
    public static readonly WordKey PageLinkUnusable = new("paymentMethods.pageLinkUnusable");
    public static readonly WordKey PageSessionExpiredTitle = new("paymentMethods.pageSessionExpiredTitle");
    public static readonly WordKey PageSessionExpired = new("paymentMethods.pageSessionExpired");
    public static readonly WordKey PageRateLimitedTitle = new("paymentMethods.pageRateLimitedTitle");
    public static readonly WordKey PageRateLimited = new("paymentMethods.pageRateLimited");
    public static readonly WordKey PageUnavailableTitle = new("paymentMethods.pageUnavailableTitle");
    public static readonly WordKey PageUnavailable = new("paymentMethods.pageUnavailable");
    public static readonly WordKey PageUnknownTitle = new("paymentMethods.pageUnknownTitle");
    public static readonly WordKey PageUnknown = new("paymentMethods.pageUnknown");
    public static readonly WordKey PageBadRequestTitle = new("paymentMethods.pageBadRequestTitle");
    public static readonly WordKey PageBadRequest = new("paymentMethods.pageBadRequest");

    /// <summary>Says <paramref name="key"/> with the masked card as its <c>method</c>.</summary>
    public static string Format(IWords words, WordKey key, string? locale, MaskedCard card)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Format(key, locale, new { method = Describe(words, locale, card) });
    }

    public static string Describe(IWords words, string? locale, MaskedCard card)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(card);
        return words.Format(Card, locale, new { brand = card.Brand, suffix = card.Suffix, expires = card.ExpiresText });
    }
}
