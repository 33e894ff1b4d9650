using AriaBot.Language;

namespace AriaBot.Handoff;

/// <summary>What the bot tells the customer about a handoff; wordings in <c>dialogs/Handoff/</c>.</summary>
[WordKeys]
public static class HandoffWords
{
    /// <summary>The handoff began: what happens next and how to leave the queue.</summary>
    public static readonly WordKey Connecting = new("handoff.connecting");

    public static readonly WordKey AlreadyWaiting = new("handoff.alreadyWaiting");

    /// <summary>An agent accepted: their display name, never their e-mail or login.</summary>
    public static readonly WordKey AgentJoined = new("handoff.agentJoined", "name");

    /// <summary>The agent ended: the bot is back.</summary>
    public static readonly WordKey AgentLeft = new("handoff.agentLeft", "name");

    /// <summary>The agent handed the customer back into one task; the customer starts it (and confirms any change) themselves.</summary>
    public static readonly WordKey HandedBack = new("handoff.handedBack", "name", "task");

    public static readonly WordKey LeftQueue = new("handoff.leftQueue");

    /// <summary>Nobody took the conversation within <c>Handoff:WaitLimit</c>.</summary>
    public static readonly WordKey NoAgentYet = new("handoff.noAgentYet");

    public static readonly WordKey StillWaiting = new("handoff.stillWaiting");

    public static readonly WordKey AskCallBackMessage = new("handoff.askCallBackMessage");

    public static readonly WordKey CallBackTaken = new("handoff.callBackTaken");

    /// <summary>The external hub could not take the conversation.</summary>
    public static readonly WordKey HubFailed = new("handoff.hubFailed");

    public static readonly WordKey BackButton = new("handoff.backButton");

    public static readonly WordKey KeepWaitingButton = new("handoff.keepWaitingButton");

    public static readonly WordKey LeaveMessageButton = new("handoff.leaveMessageButton");
}
