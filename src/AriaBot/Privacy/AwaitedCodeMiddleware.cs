using AriaBot.Account.EmailChange;
using AriaBot.Language;
using AriaBot.PasswordReset;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Builder;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using IMiddleware = BotRuntime.Builder.IMiddleware;

namespace AriaBot.Privacy;

/// <summary>
/// The "code first" rule (invariant 4, docs/invariants.md). While a password reset or a change of the account e-mail
/// waits for the code it e-mailed (its page takes it, but customers type it into the chat too), a message that may
/// carry that code is taken out of the turn before anything routes it: it is marked secret for the turn's recorders,
/// its text is replaced by <see cref="WithheldMessages.Placeholder"/> (what the transcript and an agent see), and the customer hears that the code belongs on the page. Nothing
/// after this middleware sees it — not the global commands ("cancel 1234 5678" is not a cancel), the understander and
/// its store of unsure messages, the waiting dialog, a handoff relay to an agent, notifications' commands.
/// <para>
/// Why a middleware and not a check in the shell: the shell is one of several places that read a message (a handoff
/// relays it without running the bot at all), and each one checking for itself is how one forgets. Registered after the
/// transcript middleware, so the transcript holds the marker and the reply.
/// </para>
/// <para>
/// A pending sign-in wins: its code is typed in chat by design and its dialog reads it (and keeps it out of the
/// recorders itself). "May carry the code" is the Direct Line redactor's test (<see cref="AriaIncomingActivityRedactor.MayCarryCode"/>:
/// six digits with words around them, or four digits or more), so the echo stored by Direct Line and what the turn
/// sees agree. The cost: while a code is awaited, a message like "pay 1000" is held back too, and the customer is told why.
/// </para>
/// </summary>
public sealed partial class AwaitedCodeMiddleware(
    IStorage storage,
    PasswordResets resets,
    EmailChanges emailChanges,
    IWords words,
    TimeProvider timeProvider,
    ILogger<AwaitedCodeMiddleware> logger,
    IEnumerable<IWithheldMessageObserver> observers) : IMiddleware
{
    /// <summary>Set on a turn whose message was held back as an awaited code (tests and diagnostics).</summary>
    public const string HeldBackKey = "AriaBot.AwaitedCodeHeldBack";

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (!activity.IsType(ActivityTypes.Message) || string.IsNullOrEmpty(activity.Text) || !AriaIncomingActivityRedactor.MayCarryCode(activity.Text)
            || activity.Conversation?.IsGroup == true || BindingKey.For(turnContext) is not { } key
            || await AwaitedAsync(key, cancellationToken).ConfigureAwait(false) is not { } sentence)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }
        TurnSecrets.MarkIncomingText(turnContext);
        activity.Text = WithheldMessages.Placeholder;
        turnContext.TurnState[HeldBackKey] = true;
        LogHeldBack(logger, activity.ChannelId ?? string.Empty);
        await turnContext.SendActivityAsync(MessageFactory.Text(words.Format(sentence, activity.Locale)), cancellationToken).ConfigureAwait(false);
        foreach (var observer in observers)
        {
            await observer.OnWithheldAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What to tell the customer when a reset's or an e-mail change's code is awaited for this chat user; null when none is.</summary>
    private async Task<WordKey?> AwaitedAsync(BindingKey key, CancellationToken cancellationToken)
    {
        // One read for the common case (nothing pending), and the sign-in's own code goes to its dialog.
        string[] pending = [SignInLinks.PendingKey(key), PasswordResets.PendingKey(key), EmailChanges.PendingKey(key)];
        var found = await storage.ReadAsync(pending, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0 || found.ContainsKey(pending[0]))
        {
            return null;
        }
        // Held only while the code actually issued can still be used (its expiry, not the marker's stored lifetime).
        var now = timeProvider.GetUtcNow();
        if (found.ContainsKey(pending[1]) && await resets.CodeAwaitedUntilAsync(key, cancellationToken).ConfigureAwait(false) > now)
        {
            return PasswordResetWords.CodeInChat;
        }
        if (found.ContainsKey(pending[2]) && await emailChanges.CodeAwaitedUntilAsync(key, cancellationToken).ConfigureAwait(false) > now)
        {
            return EmailChangeWords.CodeInChat;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A message that may carry an awaited e-mailed code was held back before routing (channel {ChannelId})")]
    private static partial void LogHeldBack(ILogger logger, string channelId);
}
