using BotRuntime.Builder;

namespace AriaBot.Conversation;

/// <summary>
/// A dialog's way to say "this customer should now talk to a person" (a prompt ran out of attempts, a write's
/// outcome could not be proven) without knowing how: the handoff, when it is on, takes the request at the end of
/// the turn; otherwise nothing more happens than what the dialog already said.
/// </summary>
public static class PersonRequests
{
    private const string Key = "AriaBot.Conversation.PersonRequested";

    /// <summary>Why a person is needed; the names match <c>Escalation.EscalationReason</c>.</summary>
    public const string TooManyAttempts = nameof(TooManyAttempts);

    public const string UnknownOutcome = nameof(UnknownOutcome);

    /// <summary>For the payment flow: a payment declined twice.</summary>
    public const string PaymentDeclined = nameof(PaymentDeclined);

    /// <summary>Asks for a person for <paramref name="reason"/> (only <paramref name="when"/> it holds).</summary>
    public static void Request(ITurnContext turnContext, string reason, bool when = true)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (when)
        {
            turnContext.TurnState[Key] = reason;
        }
    }

    /// <summary>The reason requested in this turn, or null.</summary>
    public static string? Requested(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.TryGetValue(Key, out var reason) ? reason as string : null;
    }
}
