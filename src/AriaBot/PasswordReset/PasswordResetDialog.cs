using System.Globalization;
using System.Text.RegularExpressions;
using AriaBot.Language;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

internal enum ResetPhase
{
    AskingUserId,

    /// <summary>The link was sent; the customer changes the password on the page and comes back.</summary>
    WaitingForPage,
}

/// <summary>The dialog's saved state: no secret (the link's state and the code live only in storage, hashed).</summary>
internal sealed class ResetDialogState
{
    public ResetPhase Phase { get; set; }

    public string StartedBy { get; set; } = string.Empty;

    public int Retries { get; set; }
}

/// <summary>
/// "I forgot my password": asks the user id, queues the lookup and the e-mail (<see cref="PasswordResets.StartAsync"/>)
/// and answers at once, in the same words whatever the user id, with a card linking to the reset page. Then it waits:
/// once the page has changed the password, the next message begins the normal sign-in. Never in a group conversation
/// (invariant 1: the one write without a session), and never asks for a password or a code in chat.
/// </summary>
public sealed partial class PasswordResetDialog(PasswordResets resets, IWords words, IOptionsMonitor<PasswordResetOptions> options) : Dialog(DialogId, version: 1)
{
    public const string DialogId = "passwordReset";

    private const int MaxRetries = 3;
    private const int MaxUserIdLength = 100;

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        if (BindingKey.For(turn) is not { } key || turn.Activity.Conversation?.IsGroup == true)
        {
            return await SayAndEndAsync(dc, PasswordResetWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
        }
        dc.ActiveDialog!.SetState(new ResetDialogState { Phase = ResetPhase.AskingUserId, StartedBy = key.UserId });
        await SayAsync(turn, PasswordResetWords.AskUserId, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        if (!turn.Activity.IsType(ActivityTypes.Message))
        {
            return EndOfTurn;
        }
        var state = dc.ActiveDialog!.GetState<ResetDialogState>() ?? throw new DialogStateMismatchException($"'{DialogId}' has no saved state.");
        if (BindingKey.For(turn) is not { } key || key.UserId != state.StartedBy)
        {
            return await SayAndEndAsync(dc, PasswordResetWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
        }
        var text = (turn.Activity.Text ?? string.Empty).Trim();
        return state.Phase == ResetPhase.AskingUserId
            ? await OnUserIdAsync(dc, state, key, text, cancellationToken).ConfigureAwait(false)
            : await OnWaitingAsync(dc, state, key, text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sign-in (begun after the change) ended: so does the reset.</summary>
    public override Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        return dc.EndDialogAsync(result, cancellationToken);
    }

    /// <summary>Cancelled (the customer said cancel, or the shell started over): the reset's link stops working and no code is awaited.</summary>
    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        if (reason == DialogReason.CancelCalled && instance.GetState<ResetDialogState>() is { Phase: ResetPhase.WaitingForPage, StartedBy.Length: > 0 } state
            && BindingKey.For(turnContext) is { } key)
        {
            await resets.CancelAsync(key with { UserId = state.StartedBy }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> OnUserIdAsync(DialogContext dc, ResetDialogState state, BindingKey key, string text, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        if (!IsUserId(text))
        {
            if (++state.Retries >= MaxRetries)
            {
                return await SayAndEndAsync(dc, CommonWords.TooManyAttempts, cancellationToken).ConfigureAwait(false);
            }
            await SayAsync(turn, PasswordResetWords.AskUserIdRetry, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        var start = await resets.StartAsync(key, text, turn.Activity.Locale, cancellationToken).ConfigureAwait(false);
        switch (start.Status)
        {
            case ResetStartStatus.ConversationLimited:
                return await SayAndEndAsync(dc, PasswordResetWords.ConversationLimited, cancellationToken).ConfigureAwait(false);
            case ResetStartStatus.UserIdLimited:
                return await SayAndEndAsync(dc, PasswordResetWords.UserIdLimited, cancellationToken).ConfigureAwait(false);
        }

        // The link opens the page for this conversation: the turn's recorders redact it like a code.
        var url = start.Url!.AbsoluteUri;
        TurnSecrets.Mark(turn, url);
        TurnSecrets.Mark(turn, url[(url.IndexOf("state=", StringComparison.Ordinal) + "state=".Length)..]);
        var locale = turn.Activity.Locale;
        var minutes = ((int)Math.Round(options.CurrentValue.CodeLifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        var card = new HeroCard
        {
            Title = words.Format(PasswordResetWords.CardTitle, locale),
            Text = words.Format(PasswordResetWords.CardText, locale, new { minutes }),
            Buttons = [CardAction.OpenUrl(words.Format(PasswordResetWords.CardButton, locale), url)],
        };
        await turn.SendActivityAsync(MessageFactory.Attachment(card.ToAttachment(), words.Format(PasswordResetWords.Sent, locale), InputHints.AcceptingInput), cancellationToken).ConfigureAwait(false);
        state.Phase = ResetPhase.WaitingForPage;
        state.Retries = 0;
        dc.ActiveDialog!.SetState(state);
        return EndOfTurn;
    }

    private async Task<DialogTurnResult> OnWaitingAsync(DialogContext dc, ResetDialogState state, BindingKey key, string text, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        if (await resets.GetStatusAsync(key, cancellationToken).ConfigureAwait(false) == ResetStatus.Completed)
        {
            await SayAsync(turn, PasswordResetWords.Completed, cancellationToken).ConfigureAwait(false);
            return await dc.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = SignInReason.Requested }, cancellationToken).ConfigureAwait(false);
        }
        if (CodeLike().IsMatch(text))
        {
            // A code typed here by mistake never reaches a transcript, a log or an agent in clear.
            TurnSecrets.MarkIncomingText(turn);
            await SayAsync(turn, PasswordResetWords.CodeInChat, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }
        if (++state.Retries >= MaxRetries)
        {
            return await SayAndEndAsync(dc, PasswordResetWords.StoppedWaiting, cancellationToken).ConfigureAwait(false);
        }
        dc.ActiveDialog!.SetState(state);
        await SayAsync(turn, PasswordResetWords.NotChangedYet, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>A login: one word, printable, not too long. Anything else is asked again (a sentence is not a user id).</summary>
    internal static bool IsUserId(string text) =>
        text.Length is > 0 and <= MaxUserIdLength && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private async Task<DialogTurnResult> SayAndEndAsync(DialogContext dc, WordKey sentence, CancellationToken cancellationToken)
    {
        await SayAsync(dc.Context, sentence, cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private Task SayAsync(ITurnContext turn, WordKey sentence, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(MessageFactory.Text(words.Format(sentence, turn.Activity.Locale)), cancellationToken);

    [GeneratedRegex(@"(?<!\d)\d{4}[ \-]?\d{4}(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodeLike();
}
