using AriaBot.Language;

namespace AriaBot.Conversation;

/// <summary>What the conversation shell says; wordings in <c>dialogs/Shell/</c>.</summary>
[WordKeys]
public static class ShellWords
{
    /// <summary>Conversation start, signed in: greets by first name and offers the menu.</summary>
    public static readonly WordKey WelcomeSignedIn = new("shell.welcomeSignedIn", "name");

    /// <summary>Conversation start, not signed in: what the assistant does, and that account tasks need a sign-in.</summary>
    public static readonly WordKey WelcomeSignedOut = new("shell.welcomeSignedOut");

    public static readonly WordKey MenuPrompt = new("shell.menuPrompt");

    public static readonly WordKey AnythingElse = new("shell.anythingElse");

    /// <summary>General help: what the assistant can do and the commands that work anywhere.</summary>
    public static readonly WordKey Help = new("shell.help", "tasks");

    /// <summary>Help in the middle of a task.</summary>
    public static readonly WordKey HelpInTask = new("shell.helpInTask", "task");

    public static readonly WordKey Cancelled = new("shell.cancelled");

    public static readonly WordKey NothingToCancel = new("shell.nothingToCancel");

    public static readonly WordKey StartingOver = new("shell.startingOver");

    public static readonly WordKey SignedOut = new("shell.signedOut");

    public static readonly WordKey NotSignedIn = new("shell.notSignedIn");

    public static readonly WordKey AlreadySignedIn = new("shell.alreadySignedIn", "name");

    /// <summary>An account task asked for in a group conversation.</summary>
    public static readonly WordKey PrivateChatOnly = new("shell.privateChatOnly");

    /// <summary>A task the assistant cannot do in chat (yet), or one the operator switched off.</summary>
    public static readonly WordKey NotInChat = new("shell.notInChat", "task");

    public static readonly WordKey Greeting = new("shell.greeting");

    public static readonly WordKey Goodbye = new("shell.goodbye");

    public static readonly WordKey AriaUnavailable = new("shell.ariaUnavailable");

    /// <summary>The session now belongs to another account than the one the task began with.</summary>
    public static readonly WordKey DifferentAccount = new("shell.differentAccount");

    public static readonly WordKey EarlierRequestDone = new("shell.earlierRequestDone", "description");

    public static readonly WordKey EarlierRequestNotDone = new("shell.earlierRequestNotDone", "description");

    public static readonly WordKey EarlierRequestUnknown = new("shell.earlierRequestUnknown", "description");

    /// <summary>The bot stopped (a crash, a restart) in the middle of the customer's last message and did not finish it.</summary>
    public static readonly WordKey InterruptedTurn = new("shell.interruptedTurn");

    /// <summary>As <see cref="InterruptedTurn"/>, when what it was doing has just been settled and told.</summary>
    public static readonly WordKey InterruptedTurnSettled = new("shell.interruptedTurnSettled");

    /// <summary>Talk to a person, when no live handoff is available: how to reach support.</summary>
    public static readonly WordKey ContactSupport = new("shell.contactSupport");

    public static readonly WordKey ContactPhone = new("shell.contactPhone", "phone");

    public static readonly WordKey ContactEmail = new("shell.contactEmail", "email");

    public static readonly WordKey ContactHours = new("shell.contactHours", "hours");

    public static readonly WordKey ContactUrl = new("shell.contactUrl", "url");

    /// <summary>After repeated misunderstandings: offer a person.</summary>
    public static readonly WordKey OfferPerson = new("shell.offerPerson");

    /// <summary>Button title that asks for a person.</summary>
    public static readonly WordKey TalkToPersonButton = new("shell.talkToPersonButton");

    public static readonly WordKey SignInButton = new("shell.signInButton");

    public static readonly WordKey TellMeAgain = new("shell.tellMeAgain");

    /// <summary>A message about nothing the bot does (the weather, a joke, another company): one honest sentence, then the menu.</summary>
    public static readonly WordKey OffTopic = new("shell.offTopic");

    /// <summary>The saved conversation no longer fits this version of the bot (a redeploy changed a dialog).</summary>
    public static readonly WordKey Restarted = new("shell.restarted");

    /// <summary>The conversation was idle for long; it starts again.</summary>
    public static readonly WordKey Expired = new("shell.expired");

    public static readonly WordKey HelpButton = new("shell.helpButton");

    /// <summary>Whole messages asking to go on in English (or Spanish), in whatever language the conversation is in now.</summary>
    public static readonly WordKey SpeakEnglishPhrases = new("shell.speakEnglishPhrases");

    public static readonly WordKey SpeakSpanishPhrases = new("shell.speakSpanishPhrases");

    /// <summary>Said in the new language once the customer asked for it.</summary>
    public static readonly WordKey NowInLanguage = new("shell.nowInLanguage");

    /// <summary>Said in the new language when a message was written in it: how to go back, in the language left.</summary>
    public static readonly WordKey AnsweringInLanguage = new("shell.answeringInLanguage");

    /// <summary>Words that may lead or end a global command without changing it ("actually, never mind", "ok stop").</summary>
    public static readonly WordKey CommandFillers = new("shell.commandFillers");
}
