using AriaBot.Language;

namespace AriaBot.PasswordReset;

/// <summary>What the password reset says in chat, on its page and in its e-mails; wordings in <c>dialogs/PasswordReset/</c>.</summary>
[WordKeys]
public static class PasswordResetWords
{
    /// <summary>Asks for the user id.</summary>
    public static readonly WordKey AskUserId = new("passwordReset.askUserId");

    /// <summary>
    /// Short forms and common typos of "I forgot my password" that are not examples of the intent: with the intent's
    /// examples they interrupt a waiting sign-in (a whole message, case and accents ignored).
    /// </summary>
    public static readonly WordKey ForgotShortForms = new("passwordReset.forgotShortForms");

    /// <summary>The answer was not a user id.</summary>
    public static readonly WordKey AskUserIdRetry = new("passwordReset.askUserIdRetry");

    /// <summary>The same reply whether or not the user id exists.</summary>
    public static readonly WordKey Sent = new("passwordReset.sent");

    /// <summary>The card's title.</summary>
    public static readonly WordKey CardTitle = new("passwordReset.cardTitle");

    /// <summary>The card's text.</summary>
    public static readonly WordKey CardText = new("passwordReset.cardText", "minutes");

    /// <summary>The card's button.</summary>
    public static readonly WordKey CardButton = new("passwordReset.cardButton");

    /// <summary>Asked for in a group conversation.</summary>
    public static readonly WordKey PrivateChatOnly = new("passwordReset.privateChatOnly");

    /// <summary>Too many resets in this conversation.</summary>
    public static readonly WordKey ConversationLimited = new("passwordReset.conversationLimited");

    /// <summary>Too many codes for the user id today.</summary>
    public static readonly WordKey UserIdLimited = new("passwordReset.userIdLimited");

    /// <summary>A message while the page has not been used.</summary>
    public static readonly WordKey NotChangedYet = new("passwordReset.notChangedYet");

    /// <summary>Gave up waiting for the page.</summary>
    public static readonly WordKey StoppedWaiting = new("passwordReset.stoppedWaiting");

    /// <summary>Digits typed in chat while waiting.</summary>
    public static readonly WordKey CodeInChat = new("passwordReset.codeInChat");

    /// <summary>The page changed the password.</summary>
    public static readonly WordKey Completed = new("passwordReset.completed");

    public static readonly WordKey PageTitle = new("passwordReset.pageTitle");

    public static readonly WordKey PageIntro = new("passwordReset.pageIntro");

    public static readonly WordKey PageCodeLabel = new("passwordReset.pageCodeLabel");

    public static readonly WordKey PagePasswordLabel = new("passwordReset.pagePasswordLabel");

    public static readonly WordKey PageConfirmLabel = new("passwordReset.pageConfirmLabel");

    public static readonly WordKey PageSubmit = new("passwordReset.pageSubmit");

    public static readonly WordKey PageRulesTitle = new("passwordReset.pageRulesTitle");

    public static readonly WordKey RuleLength = new("passwordReset.ruleLength", "min", "max");

    public static readonly WordKey RuleLettersAndDigits = new("passwordReset.ruleLettersAndDigits");

    public static readonly WordKey RuleMixedCase = new("passwordReset.ruleMixedCase");

    public static readonly WordKey RuleSymbol = new("passwordReset.ruleSymbol");

    public static readonly WordKey PageMissingFields = new("passwordReset.pageMissingFields");

    public static readonly WordKey PagePasswordRejected = new("passwordReset.pagePasswordRejected");

    public static readonly WordKey PagePasswordsDiffer = new("passwordReset.pagePasswordsDiffer");

    public static readonly WordKey PageWrongCodeOneLeft = new("passwordReset.pageWrongCodeOneLeft");

    public static readonly WordKey PageWrongCode = new("passwordReset.pageWrongCode", "attemptsLeft");

    public static readonly WordKey PageLockedTitle = new("passwordReset.pageLockedTitle");

    public static readonly WordKey PageLocked = new("passwordReset.pageLocked");

    public static readonly WordKey PageCodeEndedTitle = new("passwordReset.pageCodeEndedTitle");

    public static readonly WordKey PageCodeEnded = new("passwordReset.pageCodeEnded");

    public static readonly WordKey PageLinkUnusableTitle = new("passwordReset.pageLinkUnusableTitle");

    public static readonly WordKey PageLinkUnusable = new("passwordReset.pageLinkUnusable");

    public static readonly WordKey PageChangedTitle = new("passwordReset.pageChangedTitle");

    public static readonly WordKey PageChanged = new("passwordReset.pageChanged");

    public static readonly WordKey PageUnavailableTitle = new("passwordReset.pageUnavailableTitle");

    public static readonly WordKey PageUnavailable = new("passwordReset.pageUnavailable");

    public static readonly WordKey PageRateLimitedTitle = new("passwordReset.pageRateLimitedTitle");

    public static readonly WordKey PageRateLimited = new("passwordReset.pageRateLimited");

    public static readonly WordKey PageBadRequestTitle = new("passwordReset.pageBadRequestTitle");

    public static readonly WordKey PageBadRequest = new("passwordReset.pageBadRequest");

    public static readonly WordKey EmailCodeSubject = new("passwordReset.emailCodeSubject");

    public static readonly WordKey EmailCodeIntro = new("passwordReset.emailCodeIntro");

    public static readonly WordKey EmailCodeLifetime = new("passwordReset.emailCodeLifetime", "minutes");

    public static readonly WordKey EmailCodeIgnore = new("passwordReset.emailCodeIgnore");

    public static readonly WordKey EmailChangedSubject = new("passwordReset.emailChangedSubject");

    public static readonly WordKey EmailChangedBody = new("passwordReset.emailChangedBody");

    public static readonly WordKey EmailChangedNotYou = new("passwordReset.emailChangedNotYou");
}
