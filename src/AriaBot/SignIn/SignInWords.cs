using AriaBot.Language;

namespace AriaBot.SignIn;

/// <summary>What sign-in says in chat and on the sign-in page; the wordings are in <c>dialogs/SignIn/</c>.</summary>
[WordKeys]
public static class SignInWords
{
    // ---- chat ----

    /// <summary>Before the link, when the user was not signed in.</summary>
    public static readonly WordKey LinkIntro = new("signIn.linkIntro");

    /// <summary>Before the link, when Aria said the session expired (1011): we resume afterwards.</summary>
    public static readonly WordKey LinkIntroExpired = new("signIn.linkIntroExpired");

    /// <summary>Before the link, when the user asked to sign in.</summary>
    public static readonly WordKey LinkIntroRequested = new("signIn.linkIntroRequested");

    public static readonly WordKey LinkTitle = new("signIn.linkTitle");

    /// <summary>The card's text: type the 6-digit code here; the link works for that many minutes.</summary>
    public static readonly WordKey LinkCodeHint = new("signIn.linkCodeHint", "minutes");

    public static readonly WordKey LinkButton = new("signIn.linkButton");

    /// <summary>Sign-in was asked for in a group conversation (or where the user cannot be told apart).</summary>
    public static readonly WordKey PrivateChatOnly = new("signIn.privateChatOnly");

    public static readonly WordKey LinkRateLimited = new("signIn.linkRateLimited");

    /// <summary>Something other than a code while waiting for one.</summary>
    public static readonly WordKey WaitingForCode = new("signIn.waitingForCode");

    public static readonly WordKey NotSignedInOnPageYet = new("signIn.notSignedInOnPageYet");

    public static readonly WordKey CodeWrongOneLeft = new("signIn.codeWrongOneLeft");

    public static readonly WordKey CodeWrongSomeLeft = new("signIn.codeWrongSomeLeft", "attemptsLeft");

    /// <summary>The last allowed wrong code: sign-in cancelled, a new link offered.</summary>
    public static readonly WordKey CodeBurned = new("signIn.codeBurned");

    public static readonly WordKey CodeExpired = new("signIn.codeExpired");

    public static readonly WordKey LinkExpired = new("signIn.linkExpired");

    /// <summary>The sign-in is no longer there (finished elsewhere, forgotten, or Aria ended its session).</summary>
    public static readonly WordKey NoSignIn = new("signIn.noSignIn");

    public static readonly WordKey CodeRateLimited = new("signIn.codeRateLimited");

    /// <summary>Someone other than the person who asked for the link typed a code.</summary>
    public static readonly WordKey OnlyStarter = new("signIn.onlyStarter");

    /// <summary>The code was right but Aria did not answer: type it again shortly.</summary>
    public static readonly WordKey CodeUnavailable = new("signIn.codeUnavailable");

    /// <summary>The session could not be checked when sign-in began.</summary>
    public static readonly WordKey CheckUnavailable = new("signIn.checkUnavailable");

    public static readonly WordKey SignedIn = new("signIn.signedIn");

    /// <summary>The button (and the words users may type) that ask for another link.</summary>
    public static readonly WordKey NewLinkButton = new("signIn.newLinkButton");

    public static readonly WordKey OfferReminder = new("signIn.offerReminder");

    public static readonly WordKey OfferDeclined = new("signIn.offerDeclined");

    // ---- the sign-in page ----

    public static readonly WordKey PageHeader = new("signIn.pageHeader");

    public static readonly WordKey PageTitle = new("signIn.pageTitle");

    public static readonly WordKey PageIntro = new("signIn.pageIntro");

    public static readonly WordKey PageUserIdLabel = new("signIn.pageUserIdLabel");

    public static readonly WordKey PagePasswordLabel = new("signIn.pagePasswordLabel");

    public static readonly WordKey PageSubmit = new("signIn.pageSubmit");

    public static readonly WordKey PagePasswordNote = new("signIn.pagePasswordNote");

    /// <summary>Under the form when password reset is on: the button that starts it in the chat (<see cref="ForgotPasswordPage"/>).</summary>
    public static readonly WordKey PageForgotPassword = new("signIn.pageForgotPassword");
    public static readonly WordKey PageForgotPasswordSentTitle = new("signIn.pageForgotPasswordSentTitle");
    public static readonly WordKey PageForgotPasswordSent = new("signIn.pageForgotPasswordSent");
    /// <summary>The chat could not be reached (an older link, a channel that refused): what to say there instead.</summary>
    public static readonly WordKey PageForgotPasswordNoChat = new("signIn.pageForgotPasswordNoChat");
    /// <summary>Into the chat, from the page's button; its button sends <see cref="ForgotPasswordPhrase"/>.</summary>
    public static readonly WordKey ForgotPasswordInChat = new("signIn.forgotPasswordInChat");
    public static readonly WordKey ForgotPasswordButton = new("signIn.forgotPasswordButton");
    /// <summary>An example of the ResetPassword intent in <c>dialogs/Intents</c> (whole-utterance): the shell's interruption.</summary>
    public static readonly WordKey ForgotPasswordPhrase = new("signIn.forgotPasswordPhrase");

    public static readonly WordKey PageMissingFields = new("signIn.pageMissingFields");

    /// <summary>Unknown user id and wrong password alike: one sentence, so the page never tells which.</summary>
    public static readonly WordKey PageWrongCredentials = new("signIn.pageWrongCredentials");

    public static readonly WordKey PageCodeTitle = new("signIn.pageCodeTitle");

    public static readonly WordKey PageCodeIntro = new("signIn.pageCodeIntro");

    public static readonly WordKey PageCodeNote = new("signIn.pageCodeNote", "minutes");

    public static readonly WordKey PageLinkUnusableTitle = new("signIn.pageLinkUnusableTitle");

    public static readonly WordKey PageLinkUnusable = new("signIn.pageLinkUnusable");

    public static readonly WordKey PageRateLimitedTitle = new("signIn.pageRateLimitedTitle");

    public static readonly WordKey PageRateLimited = new("signIn.pageRateLimited");

    public static readonly WordKey PageUnavailableTitle = new("signIn.pageUnavailableTitle");

    public static readonly WordKey PageUnavailable = new("signIn.pageUnavailable");

    public static readonly WordKey PageBadRequestTitle = new("signIn.pageBadRequestTitle");

    public static readonly WordKey PageBadRequest = new("signIn.pageBadRequest");
}
