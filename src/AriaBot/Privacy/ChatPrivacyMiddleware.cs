using BotRuntime.Builder;
using IMiddleware = BotRuntime.Builder.IMiddleware;
using BotRuntime.Privacy;
using BotRuntime.Schema;

namespace AriaBot.Privacy;

/// <summary>
/// First in the pipeline: a card number or a password typed into chat is cut out of the message before anything
/// else sees it — dialogs, logs, transcripts, the agent's view — and the turn is flagged so the bot tells the
/// customer to use the secure page instead of treating the text as an answer.
/// </summary>
public sealed class ChatPrivacyMiddleware : IMiddleware
{
    private const string FlagKey = "AriaBot.SensitiveInput";

    /// <summary>True when this turn's message held something sensitive (already removed from the text).</summary>
    public static bool SensitiveInputDetected(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.ContainsKey(FlagKey);
    }

    private static bool WasRedactedBeforeTheTurn(string text)
    {
        var markers = RedactionMarkers.Default;
        return text.Contains(markers.CardNumber, StringComparison.Ordinal)
            || text.Contains(markers.CardSecurityCode, StringComparison.Ordinal)
            || text.Contains(markers.Password, StringComparison.Ordinal);
    }

    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity.IsType(ActivityTypes.Message) && !string.IsNullOrEmpty(activity.Text))
        {
            var redaction = SensitiveText.Redact(activity.Text);
            if (redaction.HasSensitiveData)
            {
                foreach (var finding in redaction.Findings)
                {
                    TurnSecrets.Mark(turnContext, activity.Text.Substring(finding.Start, finding.Length));
                }
                activity.Text = redaction.Text;
                if (redaction.ShouldWarnUser)
                {
                    turnContext.TurnState[FlagKey] = true;
                }
            }
            else if (WasRedactedBeforeTheTurn(activity.Text))
            {
                // Direct Line stores a message redacted and hands the turn the text as typed from memory; after a
                // restart the turn gets the stored copy. The customer still typed a secret and still hears so.
                turnContext.TurnState[FlagKey] = true;
            }
        }
        return next(cancellationToken);
    }
}
