using AriaBot.Language;

namespace AriaBot.Changes;

/// <summary>What the preview-and-confirm turn says; wordings in <c>dialogs/Changes/</c>.</summary>
[WordKeys]
public static class ChangeWords
{
    public static readonly WordKey TotalBeforeTax = new("changes.totalBeforeTax");
    public static readonly WordKey Tax = new("changes.tax");
    public static readonly WordKey TotalNow = new("changes.totalNow");

    /// <summary>The total when it goes on a later bill (<see cref="PreviewSummary.BilledLater"/>).</summary>
    public static readonly WordKey TotalLater = new("changes.totalLater");
    public static readonly WordKey CreditNow = new("changes.creditNow");
    public static readonly WordKey Effective = new("changes.effective", "when");
    public static readonly WordKey Terms = new("changes.terms");
    public static readonly WordKey ConfirmButton = new("changes.confirmButton");
    public static readonly WordKey CancelButton = new("changes.cancelButton");

    /// <summary>The question under the preview card.</summary>
    public static readonly WordKey ConfirmQuestion = new("changes.confirmQuestion");

    /// <summary>An answer that is not a clear yes or no.</summary>
    public static readonly WordKey ConfirmRetry = new("changes.confirmRetry");

    public static readonly WordKey Declined = new("changes.declined");

    /// <summary>A confirmation for another preview, or after the dialog moved on.</summary>
    public static readonly WordKey StaleConfirmation = new("changes.staleConfirmation");

    /// <summary>A preview card's button clicked when no confirmation is open any more (the dialog moved on).</summary>
    public static readonly WordKey NoPreviewOpen = new("changes.noPreviewOpen");

    public static readonly WordKey AlreadyDone = new("changes.alreadyDone");

    public static readonly WordKey NumbersChanged = new("changes.numbersChanged");

    /// <summary>Sent when the write is taking longer than the channel would wait.</summary>
    public static readonly WordKey StillWorking = new("changes.stillWorking");

    public static readonly WordKey StatusBlocks = new("changes.statusBlocks");

    public static readonly WordKey NotOnAccount = new("changes.notOnAccount");

    public static readonly WordKey PaymentDeclined = new("changes.paymentDeclined");

    /// <summary>Aria found no balance to settle (4003, or 4020 below zero): nothing was charged.</summary>
    public static readonly WordKey NothingToPay = new("changes.nothingToPay");

    public static readonly WordKey NotAllowed = new("changes.notAllowed");

    /// <summary>Aria refused for a reason the bot has no words for; the code helps support.</summary>
    public static readonly WordKey Refused = new("changes.refused", "code");

    public static readonly WordKey PreviewFailed = new("changes.previewFailed");

    public static readonly WordKey TooManyTries = new("changes.tooManyTries");
}
