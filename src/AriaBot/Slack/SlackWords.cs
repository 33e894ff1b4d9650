using AriaBot.Language;

namespace AriaBot.Slack;

/// <summary>What the assistant says in Slack channels; wordings in <c>dialogs/Slack/</c>.</summary>
[WordKeys]
public static class SlackWords
{
    /// <summary>In a channel: nothing of the account here, a direct message instead.</summary>
    public static readonly WordKey OfferDirectMessage = new("slack.offerDirectMessage");

    /// <summary>The button that opens the direct message with the app.</summary>
    public static readonly WordKey OpenDirectMessage = new("slack.openDirectMessage");

    /// <summary>The first message in the direct message the bot opened.</summary>
    public static readonly WordKey DirectMessageGreeting = new("slack.directMessageGreeting");
}
