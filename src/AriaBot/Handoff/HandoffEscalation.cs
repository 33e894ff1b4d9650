using Aria.Client;
using Aria.Client.Models;
using AriaBot.Escalation;
using AriaBot.Language;
using AriaBot.Session;
using AriaBot.Telemetry;
using AriaBot.Transcripts;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// "Talk to a person" as a live handoff: the conversation gets a case in the queue with who the customer is and the
/// redacted transcript, the customer hears what happens next, and from the end of this turn the bot stays out
/// (<see cref="HandoffMiddleware"/>) — with the dialog stack dropped, so a preview waiting for its "yes" is void. In
/// external mode <c>handoff.initiate</c> goes to the channel for the hub. Without a live handoff (switched off, no
/// agents, a group conversation) it is the support-contact answer.
/// </summary>
public sealed partial class HandoffEscalation(
    SupportContactEscalation fallback,
    HandoffStore store,
    IOptionsMonitor<HandoffOptions> options,
    IAccountSession session,
    IAriaClient aria,
    ITranscriptStore transcripts,
    ConversationState conversationState,
    IWords words,
    TimeProvider timeProvider,
    ILogger<HandoffEscalation> logger) : IEscalation
{
    /// <summary>Set on a turn that began a handoff: <see cref="HandoffMiddleware"/> drops the dialog stack after it.</summary>
    internal const string BeganKey = "AriaBot.Handoff.Began";

    /// <summary>The dialog stack's state property (the shell's <c>DialogState</c>): where a waiting preview lives.</summary>
    internal const string DialogStateProperty = "DialogState";

    public async Task EscalateAsync(ITurnContext turnContext, EscalationReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        var settings = options.CurrentValue;
        if (!settings.IsLive || activity.Conversation?.IsGroup == true || string.IsNullOrEmpty(activity.From?.Id) || string.IsNullOrEmpty(activity.Conversation?.Id))
        {
            // Account context must not be shown to a group, and nobody can take it over: say how to reach support.
            await fallback.EscalateAsync(turnContext, reason, cancellationToken).ConfigureAwait(false);
            return;
        }
        var locale = activity.Locale;
        if (await store.ActiveAsync(activity.ConversationKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            await turnContext.SendActivityAsync(words.Format(HandoffWords.AlreadyWaiting, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        var now = timeProvider.GetUtcNow();
        var reference = activity.GetConversationReference();
        var handoff = new HandoffCase
        {
            Id = store.NewId(),
            ConversationKey = activity.ConversationKey,
            ChannelId = activity.ChannelId ?? "",
            ConversationId = activity.Conversation.Id,
            CustomerId = activity.From.Id,
            Ingress = TurnIngresses.Of(turnContext),
            Locale = locale,
            // Only what reaching the conversation needs: the ids, the channel, its trusted serviceUrl.
            Reference = new ConversationReference
            {
                ChannelId = reference.ChannelId,
                ServiceUrl = reference.ServiceUrl,
                Locale = locale,
                Conversation = new ConversationAccount { Id = activity.Conversation.Id, TenantId = activity.Conversation.TenantId, ConversationType = activity.Conversation.ConversationType },
                User = new ChannelAccount { Id = activity.From.Id, Name = activity.From.Name, Role = RoleTypes.User },
                Bot = activity.Recipient is { } bot ? new ChannelAccount { Id = bot.Id, Name = bot.Name, Role = RoleTypes.Bot } : null,
            },
            Reason = reason,
            State = HandoffState.Waiting,
            RequestedAt = now,
            Context = await ContextAsync(turnContext, cancellationToken).ConfigureAwait(false),
            Transcript = await TranscriptAsync(activity.ConversationKey, cancellationToken).ConfigureAwait(false),
        };
        if (activity.IsType(ActivityTypes.Message) && !string.IsNullOrWhiteSpace(activity.Text))
        {
            // This turn's message is written to the transcript only when the turn ends.
            handoff.Transcript.Add(new HandoffLine { At = now, From = "customer", Text = HandoffRedaction.ForAgent(activity.Text) });
        }
        handoff.Context.LastPreview = handoff.Transcript.LastOrDefault(line => line.From == "bot" && line.Text.Contains('\u2022', StringComparison.Ordinal))?.Text
            ?? handoff.Context.LastPreview;
        if (!await store.CreateAsync(handoff, cancellationToken).ConfigureAwait(false))
        {
            await turnContext.SendActivityAsync(words.Format(HandoffWords.AlreadyWaiting, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        turnContext.TurnState[BeganKey] = true;
        LogBegan(handoff.Id, handoff.ChannelId, reason);
        AssistantTelemetry.Handoffs.Add(1, new KeyValuePair<string, object?>("ariabot.channel", handoff.ChannelId), new KeyValuePair<string, object?>("ariabot.handoff.reason", reason.ToString()));
        await turnContext.SendActivityAsync(MessageFactory.SuggestedActions(
            [CardAction.ImBack(words.Format(HandoffWords.BackButton, locale))],
            words.Format(HandoffWords.Connecting, locale)), cancellationToken).ConfigureAwait(false);
        if (settings.Mode == HandoffMode.External)
        {
            await turnContext.SendActivityAsync(HandoffEvents.Initiate(activity, handoff), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who the customer is: the account Aria names for the session (invariant 1), and what was in progress.</summary>
    private async Task<HandoffContext> ContextAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var context = new HandoffContext();
        var check = await session.CheckAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (check.IsSignedIn)
        {
            context.AccountNo = check.AccountNo;
            var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = check.AccountNo }, cancellationToken).ConfigureAwait(false);
            if (details.IsSuccess)
            {
                context.AccountName = string.Join(' ', new[] { details.Value.FirstName, details.Value.LastName }.Where(part => !string.IsNullOrWhiteSpace(part)));
            }
        }
        var stack = await conversationState.CreateProperty<DialogState>(DialogStateProperty).GetAsync(turnContext, cancellationToken: cancellationToken).ConfigureAwait(false);
        List<string> ids = [];
        CollectDialogs(stack, ids, depth: 0);
        context.Dialog = ids.Count > 0 ? string.Join(" › ", ids) : null;
        return context;
    }

    private static void CollectDialogs(DialogState? state, List<string> ids, int depth)
    {
        if (state is null || depth > 8)
        {
            return;
        }
        foreach (var instance in state.DialogStack.AsEnumerable().Reverse())
        {
            ids.Add(instance.Id);
            try
            {
                CollectDialogs(instance.GetState<ComponentState>()?.Dialogs, ids, depth + 1);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a component: its state is its own shape.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private async Task<List<HandoffLine>> TranscriptAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var entries = await transcripts.ReadAsync(conversationKey, 200, cancellationToken).ConfigureAwait(false);
        return [.. entries.Where(entry => !string.IsNullOrEmpty(entry.Text) || entry.Shown is { Count: > 0 }).Select(entry => new HandoffLine
        {
            At = entry.At,
            From = entry.Role == RoleTypes.User ? "customer" : entry.Role,
            Text = HandoffRedaction.ForAgent(string.Join("\n", new[] { entry.Text }.Concat(entry.Shown?.Select(shown => "\u2022 " + shown) ?? []).Where(part => !string.IsNullOrEmpty(part)))),
        })];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {HandoffId} began on {ChannelId} ({Reason})")]
    private partial void LogBegan(string handoffId, string channelId, EscalationReason reason);
}
