using AriaBot.Language;

namespace AriaBot.Teams;

/// <summary>What the assistant says only in Microsoft Teams; the wordings are in <c>dialogs/Teams/</c>.</summary>
[WordKeys]
public static class TeamsWords
{
    /// <summary>The conversation's tenant is not on <c>Teams:AllowedTenants</c>.</summary>
    public static readonly WordKey TenantNotAllowed = new("teams.tenantNotAllowed");

    /// <summary>Under the private-chat refusal in a group chat or channel: where to carry on.</summary>
    public static readonly WordKey ContinuePrivately = new("teams.continuePrivately");

    /// <summary>The button of the deep link to the bot's personal chat.</summary>
    public static readonly WordKey OpenPrivateChat = new("teams.openPrivateChat");

    /// <summary>The first message in the personal chat the bot opened after a group refusal.</summary>
    public static readonly WordKey PrivateHello = new("teams.privateHello");

    /// <summary>In the group, once the personal chat was opened.</summary>
    public static readonly WordKey SentPrivately = new("teams.sentPrivately");

    /// <summary>Someone pressed a button on a card the bot showed to another person.</summary>
    public static readonly WordKey NotYourCard = new("teams.notYourCard");

    /// <summary>What replaces the buttons of a card once one was pressed.</summary>
    public static readonly WordKey CardAnswered = new("teams.cardAnswered");
}
