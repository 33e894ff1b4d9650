using BotRuntime.Builder;

namespace BotRuntime.Teams;

/// <summary>
/// A flag for the turn: the bot declined to show or change account data because others can read this conversation.
/// Whatever channel-specific help exists (in Teams: a private chat offered) reads it after the turn; the dialogs that
/// refuse need not know which channel they run on.
/// </summary>
public static class PrivateChatRequest
{
    private const string Key = "BotRuntime.Teams.PrivateChatRequested";

    public static void Set(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        turnContext.TurnState.Set<object>(Key, true);
    }

    public static bool IsSet(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.Get<object>(Key) is true;
    }
}
