using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Escalation;
using AriaBot.Language;
using AriaBot.Privacy;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using IMiddleware = BotRuntime.Builder.IMiddleware;

namespace AriaBot.Handoff;

/// <summary>
/// Keeps the bot out of a handed-off conversation. Runs after the privacy and transcript middleware, so what it
/// relays is already redacted and recorded. While a case is open, the customer's messages go to the case (to the
/// agent), the bot answers nothing, and "back to the assistant" leaves the queue. A <c>handoff.status</c> event
/// arriving in a turn came from a customer's ingress, whatever it claims: it is dropped in every mode (the hub has
/// its own authenticated endpoint). After a turn that began a handoff, the dialog stack is dropped, so a preview
/// that was waiting for its "yes" can never be confirmed (invariant 2, docs/invariants.md). A write left pending in
/// the conversation is reconciled on the customer's next message even while handed off (invariant 3).
/// </summary>
public sealed partial class HandoffMiddleware(
    HandoffStore store,
    HandoffDesk desk,
    IEscalation escalation,
    WriteReconciliation reconciliation,
    ConversationState conversationState,
    IWords words,
    IOptionsMonitor<HandoffOptions> options,
    TimeProvider timeProvider,
    ILogger<HandoffMiddleware> logger) : IMiddleware
{
    private readonly IStatePropertyAccessor<DialogState> _dialogState = conversationState.CreateProperty<DialogState>(HandoffEscalation.DialogStateProperty);

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity.IsType(ActivityTypes.Event) && activity.Name == HandoffEvents.StatusName)
        {
            LogForgedStatus(TurnIngresses.Of(turnContext), activity.ChannelId ?? "");
            return;
        }
        if (!options.CurrentValue.Enabled || !activity.IsType(ActivityTypes.Message) || activity.Conversation?.IsGroup == true)
        {
            await RunBotAsync(turnContext, next, cancellationToken).ConfigureAwait(false);
            return;
        }
        var open = await store.ActiveAsync(activity.ConversationKey, cancellationToken).ConfigureAwait(false);
        if (open is null)
        {
            if (IsFrustrated(activity.Text))
            {
                await escalation.EscalateAsync(turnContext, EscalationReason.Frustration, cancellationToken).ConfigureAwait(false);
                await VoidDialogsIfBegunAsync(turnContext, cancellationToken).ConfigureAwait(false);
                return;
            }
            await RunBotAsync(turnContext, next, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (activity.From?.Id != open.CustomerId)
        {
            // Only the customer who asked is heard by the agent.
            return;
        }
        // Invariant 3 (docs/invariants.md): a pending write is settled before anything else happens in the conversation,
        // also while a person has it (the bot itself, which otherwise does this, is not run). The customer hears the
        // truth; the agent sees that they did.
        if (await reconciliation.SettleConversationAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            var now = timeProvider.GetUtcNow();
            await store.UpdateAsync(open.Id, handoff =>
            {
                handoff.Messages.Add(new HandoffLine { At = now, From = "system", Text = "The assistant settled an earlier pending request and told the customer how it ended." });
                return CaseChange.Write;
            }, cancellationToken).ConfigureAwait(false);
        }
        await OnHandedOffMessageAsync(turnContext, open, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunBotAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        await next(cancellationToken).ConfigureAwait(false);
        // A dialog asked for a person (a prompt's attempts ran out, a write's outcome is unknown): hand over now.
        if (!turnContext.TurnState.ContainsKey(HandoffEscalation.BeganKey) && options.CurrentValue.IsLive
            && Enum.TryParse<EscalationReason>(PersonRequests.Requested(turnContext), out var reason))
        {
            await escalation.EscalateAsync(turnContext, reason, cancellationToken).ConfigureAwait(false);
        }
        await VoidDialogsIfBegunAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    private async Task VoidDialogsIfBegunAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.TurnState.ContainsKey(HandoffEscalation.BeganKey))
        {
            await _dialogState.DeleteAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OnHandedOffMessageAsync(ITurnContext turnContext, HandoffCase open, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale;
        var text = HandoffRedaction.ForAgent(activity.Text).Trim();
        var now = timeProvider.GetUtcNow();
        if (Says(text, HandoffWords.BackButton))
        {
            await store.UpdateAsync(open.Id, handoff =>
            {
                if (!handoff.IsOpen)
                {
                    return CaseChange.Keep;
                }
                handoff.State = HandoffState.Left;
                handoff.EndedAt = now;
                handoff.Messages.Add(new HandoffLine { At = now, From = "system", Text = "The customer went back to the assistant." });
                return CaseChange.Write;
            }, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(await desk.MenuAsync(open, words.Format(HandoffWords.LeftQueue, locale), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (open.State == HandoffState.Waiting && Says(text, HandoffWords.LeaveMessageButton))
        {
            await store.UpdateAsync(open.Id, handoff => { handoff.AwaitingCallBackMessage = true; return CaseChange.Write; }, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(words.Format(HandoffWords.AskCallBackMessage, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        if (open.State == HandoffState.Waiting && Says(text, HandoffWords.KeepWaitingButton))
        {
            await turnContext.SendActivityAsync(words.Format(HandoffWords.StillWaiting, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        if (open.State == HandoffState.Waiting && open.AwaitingCallBackMessage && text.Length > 0)
        {
            await store.UpdateAsync(open.Id, handoff =>
            {
                if (handoff.State != HandoffState.Waiting)
                {
                    return CaseChange.Keep;
                }
                handoff.State = HandoffState.CallBackRequested;
                handoff.CallBackMessage = text;
                handoff.EndedAt = now;
                return CaseChange.Write;
            }, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(await desk.MenuAsync(open, words.Format(HandoffWords.CallBackTaken, locale), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (text.Length > 0)
        {
            var result = await store.UpdateAsync(open.Id, handoff =>
            {
                if (!handoff.IsOpen)
                {
                    return CaseChange.Keep;
                }
                handoff.Messages.Add(new HandoffLine { At = now, From = "customer", Text = text });
                return CaseChange.Write;
            }, cancellationToken).ConfigureAwait(false);
            if (result is { Changed: false })
            {
                // Ended between our read and this message: the bot is back, so this turn answers nothing and the next is the bot's.
                LogLate(open.Id);
            }
        }
        if (ChatPrivacyMiddleware.SensitiveInputDetected(turnContext))
        {
            var warning = activity.ChannelId == Channels.DirectLine ? CommonWords.PrivacyWarning : CommonWords.PrivacyWarningChannelHistory;
            await turnContext.SendActivityAsync(words.Format(warning, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The customer's text is that button's label, in any locale.</summary>
    private bool Says(string text, WordKey button) =>
        new[] { "en-US", "es-ES" }.Any(locale => string.Equals(text.TrimEnd('.', '!'), words.Format(button, locale), StringComparison.OrdinalIgnoreCase));

    private bool IsFrustrated(string? text)
    {
        var frustration = options.CurrentValue.FrustrationWords;
        return !string.IsNullOrWhiteSpace(text) && options.CurrentValue.IsLive && frustration.Count > 0
            && frustration.Any(word => !string.IsNullOrWhiteSpace(word) && text.Contains(word.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A handoff.status event from a customer's ingress ({Ingress}, channel {ChannelId}) was ignored")]
    private partial void LogForgedStatus(TurnIngress ingress, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {HandoffId} ended while a customer message arrived; not relayed")]
    private partial void LogLate(string handoffId);
}
