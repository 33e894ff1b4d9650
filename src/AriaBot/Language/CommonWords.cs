namespace AriaBot.Language;

/// <summary>Sentences any dialog may need; their wordings are in <c>dialogs/Common/</c>.</summary>
[WordKeys]
public static class CommonWords
{
    /// <summary>First time the bot cannot make sense of a message: apologise and invite another try.</summary>
    public static readonly WordKey NotUnderstood = new("common.notUnderstood");

    /// <summary>Second miss in a row: point at help, buttons and a person.</summary>
    public static readonly WordKey NotUnderstoodAgain = new("common.notUnderstoodAgain");

    /// <summary>Low-confidence understanding: offers the top two readings as buttons.</summary>
    public static readonly WordKey DidYouMean = new("common.didYouMean", "first", "second");

    /// <summary>Third button under <see cref="DidYouMean"/>: neither reading.</summary>
    public static readonly WordKey NeitherOfThose = new("common.neitherOfThose");

    /// <summary>A card number or password was typed into our own Direct Line chat: removed from its history (the echo is stored redacted) and not kept.</summary>
    public static readonly WordKey PrivacyWarning = new("common.privacyWarning");

    /// <summary>
    /// The same on a channel whose history the bot cannot edit (Teams, Slack, Azure's Web Chat): not kept by the bot, but
    /// still in the channel's copy of the chat, which only the customer can delete.
    /// </summary>
    public static readonly WordKey PrivacyWarningChannelHistory = new("common.privacyWarningChannelHistory");

    /// <summary>A prompt gave up after its retry limit.</summary>
    public static readonly WordKey TooManyAttempts = new("common.tooManyAttempts");

    /// <summary>Button titles for yes/no questions (the values they post are <c>ConfirmInput.YesButtonValue</c>/<c>NoButtonValue</c>).</summary>
    public static readonly WordKey Yes = new("common.yes");

    public static readonly WordKey No = new("common.no");
}
