using AriaBot.Language;

namespace AriaBot.Account.EmailChange;

/// <summary>What the verified change of the account e-mail says (chat, page, e-mails); wordings in <c>dialogs/EmailChange/</c>.</summary>
[WordKeys]
public static class EmailChangeWords
{
    public static readonly WordKey AskToSend = new("emailChange.askToSend", "old", "new");
    public static readonly WordKey AskToSendRetry = new("emailChange.askToSendRetry");
    public static readonly WordKey Declined = new("emailChange.declined");
    public static readonly WordKey AccountLimited = new("emailChange.accountLimited");
    public static readonly WordKey Sent = new("emailChange.sent", "new", "old");
    public static readonly WordKey CardTitle = new("emailChange.cardTitle");
    public static readonly WordKey CardText = new("emailChange.cardText", "minutes");
    public static readonly WordKey CardButton = new("emailChange.cardButton");
    public static readonly WordKey CodeInChat = new("emailChange.codeInChat");
    public static readonly WordKey NotVerifiedYet = new("emailChange.notVerifiedYet");
    public static readonly WordKey StoppedWaiting = new("emailChange.stoppedWaiting");
    public static readonly WordKey Locked = new("emailChange.locked");
    public static readonly WordKey Expired = new("emailChange.expired");
    public static readonly WordKey ChangedMeanwhile = new("emailChange.changedMeanwhile");
    public static readonly WordKey VerifiedInChat = new("emailChange.verifiedInChat");
    public static readonly WordKey ContinueButton = new("emailChange.continueButton");

    public static readonly WordKey PageTitle = new("emailChange.pageTitle");
    public static readonly WordKey PageIntro = new("emailChange.pageIntro");
    public static readonly WordKey PageCodeLabel = new("emailChange.pageCodeLabel");
    public static readonly WordKey PageSubmit = new("emailChange.pageSubmit");
    public static readonly WordKey PageMissingCode = new("emailChange.pageMissingCode");
    public static readonly WordKey PageWrongCode = new("emailChange.pageWrongCode", "attemptsLeft");
    public static readonly WordKey PageVerifiedTitle = new("emailChange.pageVerifiedTitle");
    public static readonly WordKey PageVerified = new("emailChange.pageVerified");
    public static readonly WordKey PageLockedTitle = new("emailChange.pageLockedTitle");
    public static readonly WordKey PageLocked = new("emailChange.pageLocked");
    public static readonly WordKey PageCodeEndedTitle = new("emailChange.pageCodeEndedTitle");
    public static readonly WordKey PageCodeEnded = new("emailChange.pageCodeEnded");
    public static readonly WordKey PageLinkUnusableTitle = new("emailChange.pageLinkUnusableTitle");
    public static readonly WordKey PageLinkUnusable = new("emailChange.pageLinkUnusable");
    public static readonly WordKey PageBadRequestTitle = new("emailChange.pageBadRequestTitle");
    public static readonly WordKey PageBadRequest = new("emailChange.pageBadRequest");
    public static readonly WordKey PageRateLimitedTitle = new("emailChange.pageRateLimitedTitle");
    public static readonly WordKey PageRateLimited = new("emailChange.pageRateLimited");

    public static readonly WordKey EmailCodeSubject = new("emailChange.emailCodeSubject");
    public static readonly WordKey EmailCodeIntro = new("emailChange.emailCodeIntro");
    public static readonly WordKey EmailCodeLifetime = new("emailChange.emailCodeLifetime", "minutes");
    public static readonly WordKey EmailCodeIgnore = new("emailChange.emailCodeIgnore");
    public static readonly WordKey EmailRequestedSubject = new("emailChange.emailRequestedSubject");
    public static readonly WordKey EmailRequestedBody = new("emailChange.emailRequestedBody", "masked");
    public static readonly WordKey EmailDoneSubject = new("emailChange.emailDoneSubject");
    public static readonly WordKey EmailDoneBody = new("emailChange.emailDoneBody", "masked");
    public static readonly WordKey EmailNotYou = new("emailChange.emailNotYou");
}
