using System.Globalization;
using System.Text.RegularExpressions;
using Aria.Client;
using AriaBot.Account.Contacts;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.PasswordReset;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Privacy;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.EmailChange;

/// <summary>What <see cref="UpdateContactDialog"/> hands over: the account contact's address now and the new one (validated).</summary>
public sealed class AccountEmailChangeOptions
{
    public required string OldAddress { get; init; }

    public required string NewAddress { get; init; }
}

internal enum EmailChangePhase
{
    /// <summary>Old → new shown; a yes sends the code.</summary>
    AskingToSend,

    /// <summary>The code was sent; the customer enters it on the page and comes back.</summary>
    WaitingForCode,

    /// <summary>Verified: the shared confirmation (preview, session check last, the write once) runs on top.</summary>
    Writing,
}

/// <summary>The dialog's saved state: no secret (the link's state and the code's hash live only in storage).</summary>
internal sealed class EmailChangeDialogState
{
    public EmailChangePhase Phase { get; set; }

    public string OldAddress { get; set; } = string.Empty;

    public string NewAddress { get; set; } = string.Empty;

    public int Retries { get; set; }
}

/// <summary>
/// The account contact's e-mail, changed only after the new address proves itself: old → new and a yes; then a code
/// goes to the NEW address and the OLD one is told (<see cref="EmailChanges.StartAsync"/>); the code is entered on the
/// secure page (never in chat: typed here it is redacted and the customer is sent to the page); once the page has
/// verified it, the next message runs the shared confirmation (<see cref="ConfirmChangeDialog"/>: old → new read from
/// Aria, the session checked last, <c>update_contact_m</c> written once through the write ledger, audited,
/// reconciled by reading the contacts back). Done: the old address is told again. Runs inside
/// <see cref="UpdateContactDialog"/> (an account dialog: every turn checks the session; never in a group chat).
/// </summary>
public sealed partial class AccountEmailChangeDialog(EmailChanges changes, PasswordResets resets, IAriaClient aria, IWords words,
    IOptionsMonitor<EmailChangeOptions> options) : Dialog(DialogId, version: 1)
{
    public const string DialogId = "accountEmailChange";

    private const int MaxRetries = 3;

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var begin = options as AccountEmailChangeOptions ?? throw new ArgumentException($"{DialogId} needs {nameof(AccountEmailChangeOptions)}.", nameof(options));
        dc.ActiveDialog!.SetState(new EmailChangeDialogState { Phase = EmailChangePhase.AskingToSend, OldAddress = begin.OldAddress, NewAddress = begin.NewAddress });
        var locale = dc.Context.Activity.Locale;
        var question = MessageFactory.Text(words.Format(EmailChangeWords.AskToSend, locale, new { old = begin.OldAddress, @new = begin.NewAddress }), inputHint: InputHints.ExpectingInput);
        question.SuggestedActions = YesNo(locale);
        await dc.Context.SendActivityAsync(question, cancellationToken).ConfigureAwait(false);
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
        var state = dc.ActiveDialog!.GetState<EmailChangeDialogState>() ?? throw new DialogStateMismatchException($"'{DialogId}' has no saved state.");
        if (BindingKey.For(turn) is not { } key)
        {
            return await SayAndEndAsync(dc, ShellWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
        }
        return state.Phase == EmailChangePhase.AskingToSend
            ? await OnAnswerAsync(dc, state, key, cancellationToken).ConfigureAwait(false)
            : await OnWaitingAsync(dc, state, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The shared confirmation ended (written, declined, refused, unknown): so does the change, and its link.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (BindingKey.For(dc.Context) is { } key)
        {
            // The old address is told by EmailChangeDoneNotice when the write is known applied (here or, after a lost
            // reply or a crash, when reconciliation proves it).
            await changes.EndPendingAsync(key, cancellationToken).ConfigureAwait(false);
        }
        return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancelled (the customer said cancel, or the shell started over): the change and its link end, and no code is awaited.</summary>
    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        if (reason == DialogReason.CancelCalled && instance.GetState<EmailChangeDialogState>() is { Phase: not EmailChangePhase.AskingToSend }
            && BindingKey.For(turnContext) is { } key)
        {
            await changes.EndPendingAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> OnAnswerAsync(DialogContext dc, EmailChangeDialogState state, BindingKey key, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var locale = turn.Activity.Locale;
        switch (ConfirmInput.Recognize(turn.Activity.Text, locale, ConfirmOptions.StrictYes).Outcome)
        {
            case ConfirmOutcome.No:
                return await SayAndEndAsync(dc, EmailChangeWords.Declined, cancellationToken).ConfigureAwait(false);
            case ConfirmOutcome.Yes:
                break;
            default:
                if (++state.Retries >= MaxRetries)
                {
                    return await SayAndEndAsync(dc, CommonWords.TooManyAttempts, cancellationToken).ConfigureAwait(false);
                }
                dc.ActiveDialog!.SetState(state);
                var again = MessageFactory.Text(words.Format(EmailChangeWords.AskToSendRetry, locale), inputHint: InputHints.ExpectingInput);
                again.SuggestedActions = YesNo(locale);
                await turn.SendActivityAsync(again, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
        }

        var accountNo = AccountDialog.AccountOfDialog(dc);
        var start = await changes.StartAsync(key, accountNo, state.OldAddress, state.NewAddress, locale, turn.Activity.GetConversationReference(), cancellationToken).ConfigureAwait(false);
        if (start.Status == EmailChangeStartStatus.AccountLimited)
        {
            PersonRequests.Request(turn, PersonRequests.TooManyAttempts);
            return await SayAndEndAsync(dc, EmailChangeWords.AccountLimited, cancellationToken).ConfigureAwait(false);
        }
        // The link opens the page for this change: the turn's recorders redact it like a code.
        var url = start.Url!.AbsoluteUri;
        TurnSecrets.Mark(turn, url);
        TurnSecrets.Mark(turn, url[(url.IndexOf("state=", StringComparison.Ordinal) + "state=".Length)..]);
        var minutes = ((int)Math.Round(options.CurrentValue.CodeLifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        var card = new HeroCard
        {
            Title = words.Format(EmailChangeWords.CardTitle, locale),
            Text = words.Format(EmailChangeWords.CardText, locale, new { minutes }),
            Buttons = [CardAction.OpenUrl(words.Format(EmailChangeWords.CardButton, locale), url)],
        };
        var text = words.Format(EmailChangeWords.Sent, locale, new { @new = state.NewAddress, old = state.OldAddress });
        await turn.SendActivityAsync(MessageFactory.Attachment(card.ToAttachment(), text, InputHints.AcceptingInput), cancellationToken).ConfigureAwait(false);
        state.Phase = EmailChangePhase.WaitingForCode;
        state.Retries = 0;
        dc.ActiveDialog!.SetState(state);
        return EndOfTurn;
    }

    private async Task<DialogTurnResult> OnWaitingAsync(DialogContext dc, EmailChangeDialogState state, BindingKey key, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var text = (turn.Activity.Text ?? string.Empty).Trim();
        var record = await changes.GetPendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (CodeLike().IsMatch(text))
        {
            // A code typed here by mistake never reaches a transcript, a log or an agent in clear.
            TurnSecrets.MarkIncomingText(turn);
        }
        var accountNo = AccountDialog.AccountOfDialog(dc);
        switch (record)
        {
            case null or { Status: EmailChangeStatus.Ended }:
                return await EndAsync(dc, key, EmailChangeWords.Expired, cancellationToken).ConfigureAwait(false);
            case { Status: EmailChangeStatus.Locked }:
                return await EndAsync(dc, key, EmailChangeWords.Locked, cancellationToken).ConfigureAwait(false);
            case { Status: EmailChangeStatus.Verified } when record.AccountNo == accountNo && record.NewAddress == state.NewAddress:
                return await WriteAsync(dc, state, key, record, cancellationToken).ConfigureAwait(false);
            case { Status: EmailChangeStatus.Verified }:
                return await EndAsync(dc, key, EmailChangeWords.Expired, cancellationToken).ConfigureAwait(false);
        }
        if (CodeLike().IsMatch(text))
        {
            await SayAsync(turn, EmailChangeWords.CodeInChat, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }
        if (++state.Retries >= MaxRetries)
        {
            return await EndAsync(dc, key, EmailChangeWords.StoppedWaiting, cancellationToken).ConfigureAwait(false);
        }
        dc.ActiveDialog!.SetState(state);
        await SayAsync(turn, EmailChangeWords.NotVerifiedYet, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>
    /// Verified: the address on file must still be the one the change began from; the reset rule learns of the change
    /// before the write (so that a write whose reply is lost and later proven is covered too); then the shared
    /// confirmation shows old → new, checks the session last and writes once.
    /// </summary>
    private async Task<DialogTurnResult> WriteAsync(DialogContext dc, EmailChangeDialogState state, BindingKey key, EmailChangeRecord record, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var locale = turn.Activity.Locale;
        var now = await ContactOnFile.ReadAsync(aria, record.AccountNo, ContactKind.Account, null, cancellationToken).ConfigureAwait(false);
        if (!now.IsSuccess)
        {
            await turn.SendActivityAsync(AccountReads.Describe(now.Error, words, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }
        if (!string.Equals(now.Value!.Value(ContactField.Email), record.OldAddress, StringComparison.OrdinalIgnoreCase))
        {
            return await EndAsync(dc, key, EmailChangeWords.ChangedMeanwhile, cancellationToken).ConfigureAwait(false);
        }
        if (!string.IsNullOrEmpty(record.OldAddress))
        {
            await resets.RecordEmailChangeAsync(record.AccountNo, record.OldAddress, cancellationToken).ConfigureAwait(false);
        }
        await changes.RememberWriteAsync(record.AccountNo, record.NewAddress, record.Locale, cancellationToken).ConfigureAwait(false);
        state.Phase = EmailChangePhase.Writing;
        dc.ActiveDialog!.SetState(state);
        var contactLabel = words.Format(ContactWords.KindAccount, locale);
        var fieldLabel = words.Format(ContactWords.FieldEmail, locale);
        var value = record.NewAddress;
        var request = ContactRequest.For(record.AccountNo, ContactKind.Account, null, ContactField.Email, value);
        return await dc.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = UpdateContactChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = words.Format(ContactWords.Title, locale, new { contact = contactLabel }),
            Description = words.Format(ContactWords.Description, locale, new { contact = contactLabel, field = fieldLabel, value }),
            DoneText = words.Format(ContactWords.Done, locale, new { contact = contactLabel, field = fieldLabel, value }),
            Currency = string.Empty,
            Expectation = new ContactExpectation(ContactKind.Account, ContactField.Email, null, record.OldAddress, value).ToJson(),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> EndAsync(DialogContext dc, BindingKey key, WordKey sentence, CancellationToken cancellationToken)
    {
        await changes.EndPendingAsync(key, cancellationToken).ConfigureAwait(false);
        return await SayAndEndAsync(dc, sentence, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> SayAndEndAsync(DialogContext dc, WordKey sentence, CancellationToken cancellationToken)
    {
        await SayAsync(dc.Context, sentence, cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private Task SayAsync(ITurnContext turn, WordKey sentence, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(MessageFactory.Text(words.Format(sentence, turn.Activity.Locale)), cancellationToken);

    private SuggestedActions YesNo(string? locale) => new()
    {
        Actions = [CardAction.ImBack(words.Format(CommonWords.Yes, locale), ConfirmInput.YesButtonValue(locale)), CardAction.ImBack(words.Format(CommonWords.No, locale), ConfirmInput.NoButtonValue(locale))],
    };

    [GeneratedRegex(@"(?<!\d)\d{4}[ \-]?\d{4}(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodeLike();
}
