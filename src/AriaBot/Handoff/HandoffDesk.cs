using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>What an agent's action came to.</summary>
public enum DeskOutcome
{
    Done,
    NotFound,
    /// <summary>Another agent holds the case (or accepted it first).</summary>
    Forbidden,
    /// <summary>The case is not in a state that allows this (already ended, not yet accepted).</summary>
    Conflict,
    Invalid,
}

/// <summary>An agent, as the console knows them: an id for the record and the display name the customer is told.</summary>
public sealed record AgentIdentity(string Id, string DisplayName);

/// <summary>
/// The agent's side of a handoff: accept (one winner, decided by the case's eTag), talk, end, hand back into a use
/// case; and the endings that come from elsewhere (the external hub). Every change is made on the stored case first
/// and only then told to the customer, so a crash between the two loses a message, never the case's state.
/// </summary>
public sealed partial class HandoffDesk(
    HandoffStore store,
    HandoffRelay relay,
    IWords words,
    MainDialog main,
    IEnumerable<IUseCase> useCases,
    ISessionBindings bindings,
    IOptionsMonitor<SelfServiceOptions> selfService,
    TimeProvider timeProvider,
    ILogger<HandoffDesk> logger)
{
    /// <summary>Whether <paramref name="agent"/> may read this case: anyone while it waits, afterwards only the agent who took it.</summary>
    public static bool CanRead(HandoffCase handoff, AgentIdentity agent) =>
        handoff.State == HandoffState.Waiting || handoff.AgentId == agent.Id;

    /// <summary>The use cases an agent may hand a customer back into (those switched on), with their labels.</summary>
    public IReadOnlyList<object> HandBackChoices(string? locale = null) =>
        [.. useCases.Where(useCase => useCase.IsEnabled(selfService.CurrentValue.Sections))
            .Select(useCase => (object)new { Id = useCase.Intent.ToString(), Label = words.Format(IntentWords.Label(useCase.Intent), locale) })];

    public async Task<(DeskOutcome Outcome, HandoffCase? Case)> AcceptAsync(string id, AgentIdentity agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var now = timeProvider.GetUtcNow();
        var result = await store.UpdateAsync(id, handoff =>
        {
            if (handoff.State != HandoffState.Waiting)
            {
                return CaseChange.Keep;
            }
            handoff.State = HandoffState.Accepted;
            handoff.AcceptedAt = now;
            handoff.AgentId = agent.Id;
            handoff.AgentName = agent.DisplayName;
            handoff.Messages.Add(new HandoffLine { At = now, From = "system", Text = $"{agent.DisplayName} accepted." });
            return CaseChange.Write;
        }, cancellationToken).ConfigureAwait(false);
        if (result is not { } done)
        {
            return (DeskOutcome.NotFound, null);
        }
        if (!done.Changed)
        {
            return (done.Case.AgentId == agent.Id ? DeskOutcome.Done : done.Case.IsOpen ? DeskOutcome.Forbidden : DeskOutcome.Conflict, null);
        }
        LogAccepted(id);
        await relay.SendAsync(done.Case, MessageFactory.Text(words.Format(HandoffWords.AgentJoined, done.Case.Locale, new { name = agent.DisplayName })), "bot", cancellationToken).ConfigureAwait(false);
        return (DeskOutcome.Done, done.Case);
    }

    public async Task<DeskOutcome> PostAsync(string id, AgentIdentity agent, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000)
        {
            return DeskOutcome.Invalid;
        }
        var clean = HandoffRedaction.ForCustomer(text.Trim());
        var now = timeProvider.GetUtcNow();
        var denied = DeskOutcome.Done;
        var result = await store.UpdateAsync(id, handoff =>
        {
            denied = Check(handoff, agent);
            if (denied != DeskOutcome.Done)
            {
                return CaseChange.Keep;
            }
            handoff.Messages.Add(new HandoffLine { At = now, From = "agent", Text = clean });
            return CaseChange.Write;
        }, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return DeskOutcome.NotFound;
        }
        if (denied != DeskOutcome.Done)
        {
            return denied;
        }
        var message = MessageFactory.Text(clean);
        message.From = new ChannelAccount { Name = agent.DisplayName };
        await relay.SendAsync(result.Value.Case, message, "agent", cancellationToken).ConfigureAwait(false);
        return DeskOutcome.Done;
    }

    /// <summary>Ends the talk; with <paramref name="handBack"/> the customer gets a button into that use case (and confirms any change themselves).</summary>
    public async Task<DeskOutcome> EndAsync(string id, AgentIdentity agent, Intent? handBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        IUseCase? useCase = null;
        if (handBack is { } intent)
        {
            useCase = useCases.FirstOrDefault(candidate => candidate.Intent == intent && candidate.IsEnabled(selfService.CurrentValue.Sections));
            if (useCase is null)
            {
                return DeskOutcome.Invalid;
            }
        }
        var now = timeProvider.GetUtcNow();
        var denied = DeskOutcome.Done;
        var result = await store.UpdateAsync(id, handoff =>
        {
            denied = Check(handoff, agent);
            if (denied != DeskOutcome.Done)
            {
                return CaseChange.Keep;
            }
            handoff.State = HandoffState.Completed;
            handoff.EndedAt = now;
            handoff.Messages.Add(new HandoffLine { At = now, From = "system", Text = useCase is null ? "Ended by the agent." : $"Handed back: {useCase.Intent}." });
            return CaseChange.Write;
        }, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return DeskOutcome.NotFound;
        }
        if (denied != DeskOutcome.Done)
        {
            return denied;
        }
        var handoff = result.Value.Case;
        LogEnded(id, HandoffState.Completed);
        var locale = handoff.Locale;
        if (useCase is not null)
        {
            var task = words.Format(IntentWords.Label(useCase.Intent), locale);
            await relay.SendAsync(handoff, MessageFactory.SuggestedActions([CardAction.ImBack(task)],
                words.Format(HandoffWords.HandedBack, locale, new { name = agent.DisplayName, task })), "bot", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SendMenuAsync(handoff, words.Format(HandoffWords.AgentLeft, locale, new { name = agent.DisplayName }), cancellationToken).ConfigureAwait(false);
        }
        return DeskOutcome.Done;
    }

    /// <summary>The external hub's <c>handoff.status</c>: accepted, completed or failed.</summary>
    public async Task<DeskOutcome> HubStatusAsync(string conversationKey, string state, CancellationToken cancellationToken)
    {
        var open = await store.ActiveAsync(conversationKey, cancellationToken).ConfigureAwait(false);
        if (open is null)
        {
            return DeskOutcome.NotFound;
        }
        var now = timeProvider.GetUtcNow();
        var next = state switch
        {
            "accepted" => HandoffState.Accepted,
            "completed" => HandoffState.Completed,
            "failed" => HandoffState.Failed,
            _ => (HandoffState?)null,
        };
        if (next is null)
        {
            return DeskOutcome.Invalid;
        }
        var result = await store.UpdateAsync(open.Id, handoff =>
        {
            if (!handoff.IsOpen || handoff.State == next)
            {
                return CaseChange.Keep;
            }
            handoff.State = next.Value;
            handoff.AgentName ??= "hub";
            handoff.AgentId ??= "hub";
            if (next == HandoffState.Accepted)
            {
                handoff.AcceptedAt = now;
            }
            else
            {
                handoff.EndedAt = now;
            }
            return CaseChange.Write;
        }, cancellationToken).ConfigureAwait(false);
        if (result is not { Changed: true } done)
        {
            return DeskOutcome.Conflict;
        }
        LogEnded(open.Id, next.Value);
        if (next == HandoffState.Completed)
        {
            await SendMenuAsync(done.Case, words.Format(ShellWords.MenuPrompt, done.Case.Locale), cancellationToken).ConfigureAwait(false);
        }
        else if (next == HandoffState.Failed)
        {
            await SendMenuAsync(done.Case, words.Format(HandoffWords.HubFailed, done.Case.Locale), cancellationToken).ConfigureAwait(false);
        }
        return DeskOutcome.Done;
    }

    /// <summary>The bot is back: the sentence and the menu, as the conversation's own greeting offers it.</summary>
    internal async Task SendMenuAsync(HandoffCase handoff, string text, CancellationToken cancellationToken) =>
        await relay.SendAsync(handoff, await MenuAsync(handoff, text, cancellationToken).ConfigureAwait(false), "bot", cancellationToken).ConfigureAwait(false);

    /// <summary>The sentence with the menu's buttons (sign-in among them only when the chat is not bound to an account).</summary>
    internal async Task<Activity> MenuAsync(HandoffCase handoff, string text, CancellationToken cancellationToken)
    {
        var signedIn = await bindings.GetAsync(new BindingKey(handoff.ChannelId, handoff.ConversationId, handoff.CustomerId, handoff.Ingress), cancellationToken).ConfigureAwait(false) is not null;
        return MessageFactory.SuggestedActions(main.MenuButtons(handoff.Locale, signedIn), text);
    }

    private static DeskOutcome Check(HandoffCase handoff, AgentIdentity agent) =>
        handoff.AgentId != agent.Id && handoff.State != HandoffState.Waiting ? DeskOutcome.Forbidden
        : handoff.State != HandoffState.Accepted ? DeskOutcome.Conflict
        : DeskOutcome.Done;

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {HandoffId} accepted")]
    private partial void LogAccepted(string handoffId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {HandoffId} ended: {State}")]
    private partial void LogEnded(string handoffId, HandoffState state);
}
