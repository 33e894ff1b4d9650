using AriaBot.Escalation;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace AriaBot.Handoff;

/// <summary>Where a handoff stands. Stored by name: never rename a member.</summary>
public enum HandoffState
{
    Waiting,
    Accepted,
    Completed,
    /// <summary>The customer went back to the assistant before or during the talk.</summary>
    Left,
    /// <summary>Nobody took it in time and the customer left a message for a call-back.</summary>
    CallBackRequested,
    /// <summary>The external hub reported that it could not take the conversation.</summary>
    Failed,
}

/// <summary>Who the customer is and what already happened, as the agent sees it (never the session binding).</summary>
public sealed class HandoffContext
{
    public long? AccountNo { get; set; }
    public string? AccountName { get; set; }
    /// <summary>The dialogs in progress, outermost first (e.g. <c>main › switchPlan › confirmChange</c>).</summary>
    public string? Dialog { get; set; }
    /// <summary>The last card the bot showed (a preview's title and lines), redacted.</summary>
    public string? LastPreview { get; set; }
}

/// <summary>One line the agent reads: the redacted transcript before the handoff, or the talk during it.</summary>
public sealed class HandoffLine
{
    public DateTimeOffset At { get; set; }
    /// <summary><c>customer</c>, <c>bot</c>, <c>agent</c> or <c>system</c>.</summary>
    public string From { get; set; } = "";
    public string Text { get; set; } = "";
}

/// <summary>
/// One handoff, stored at <c>handoff/cases/{id}</c> (eTag-checked, so two agents accepting at once cannot both win and
/// every instance sees the same queue). The conversation points at its open case through <c>handoff/active/{conversationKey}</c>.
/// </summary>
public sealed class HandoffCase
{
    public string Id { get; set; } = "";
    public string ConversationKey { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    /// <summary>The customer's <c>from.id</c>: the only sender whose messages are relayed.</summary>
    public string CustomerId { get; set; } = "";
    public TurnIngress Ingress { get; set; }
    public string? Locale { get; set; }
    /// <summary>Where replies go (serviceUrl, bot and user accounts); a Direct Line conversation needs only its id.</summary>
    public ConversationReference Reference { get; set; } = new();
    public EscalationReason Reason { get; set; }
    public HandoffState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? AgentId { get; set; }
    public string? AgentName { get; set; }
    public HandoffContext Context { get; set; } = new();
    public List<HandoffLine> Transcript { get; set; } = [];
    public List<HandoffLine> Messages { get; set; } = [];
    /// <summary>The customer was told nobody is free yet (once per handoff).</summary>
    public bool WaitNoticeSent { get; set; }
    /// <summary>The customer chose to leave a message; the next message is it.</summary>
    public bool AwaitingCallBackMessage { get; set; }
    public string? CallBackMessage { get; set; }

    public bool IsOpen => State is HandoffState.Waiting or HandoffState.Accepted;

    /// <summary>How long the customer waited for an agent (until accepted, or until the end when nobody came).</summary>
    public TimeSpan Waited(DateTimeOffset now) => (AcceptedAt ?? EndedAt ?? now) - RequestedAt;
}
