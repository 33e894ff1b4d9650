using System.Text.Json;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Changes;

/// <summary>
/// The confirmation turn of every account change (design invariants 2 and 3). It sends the change with
/// <c>do_write=false</c>, shows exactly what Aria returned, and sends the identical request with
/// <c>do_write=true</c> only after a yes to <em>that</em> preview: a button carrying its preview id, or a message that
/// is nothing but a yes. Before the write, a stale preview is refreshed (changed numbers are confirmed again), the
/// session is validated last, and <see cref="ChangeWriter"/> writes it exactly once; the dialog then tells the
/// customer how it ended in the change's own words.
/// </summary>
public sealed partial class ConfirmChangeDialog(
    IEnumerable<IPreviewedChange> changes,
    IAccountSession session,
    ChangeWriter writer,
    IWords words,
    IOptionsMonitor<SelfServiceOptions> selfService,
    TimeProvider timeProvider,
    ILogger<ConfirmChangeDialog> logger) : Dialog(DialogId, version: 1)
{
    public const string DialogId = "confirmChange";

    private const int MaxUnclearAnswers = 3;

    internal sealed class State
    {
        public required string Kind { get; set; }
        public required JsonElement Request { get; set; }
        public required string Title { get; set; }
        public required string DoneText { get; set; }
        public string? DoneTextWithDetail { get; set; }
        public required string Description { get; set; }
        public List<string> Consequences { get; set; } = [];
        public required string Currency { get; set; }
        public string? Effective { get; set; }
        public Dictionary<long, string> AddOns { get; set; } = [];
        public JsonElement? Expectation { get; set; }
        public required string ReceiptId { get; set; }
        public string PreviewId { get; set; } = string.Empty;
        public PreviewSummary? Preview { get; set; }
        public DateTimeOffset PreviewedAt { get; set; }
        public int UnclearAnswers { get; set; }
    }

    private IPreviewedChange ChangeFor(string kind) =>
        changes.FirstOrDefault(change => change.Kind == kind) ?? throw new InvalidOperationException($"No IPreviewedChange is registered for '{kind}'.");

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var begin = options as ConfirmChangeOptions ?? throw new ArgumentException($"{DialogId} needs {nameof(ConfirmChangeOptions)}.", nameof(options));
        var receiptId = NewReceiptId();
        var state = new State
        {
            Kind = begin.Kind,
            Request = ChangeFor(begin.Kind).WithReceiptId(begin.Request, receiptId),
            Title = begin.Title,
            DoneText = begin.DoneText,
            DoneTextWithDetail = begin.DoneTextWithDetail,
            Description = begin.Description,
            Consequences = begin.Consequences,
            Currency = begin.Currency,
            Effective = begin.Effective,
            AddOns = begin.AddOns,
            Expectation = begin.Expectation,
            ReceiptId = receiptId,
        };
        dc.ActiveDialog!.SetState(state);
        // The first preview may use what the use case read of the account in this very turn; it is never kept in state,
        // so every later preview (a stale confirmation, a reprompt after sign-in) reads Aria again.
        return await PreviewAndAskAsync(dc, state, previous: null, begin.ReadingOfThisTurn, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        if (!turn.Activity.IsType(ActivityTypes.Message))
        {
            return EndOfTurn;
        }
        var state = dc.ActiveDialog!.GetState<State>()!;
        var locale = turn.Activity.Locale;
        switch (PreviewAnswers.Interpret(turn.Activity, state.PreviewId))
        {
            case PreviewAnswer.Confirm:
                return await ApplyAsync(dc, state, cancellationToken).ConfigureAwait(false);
            case PreviewAnswer.Decline:
                await SayAsync(turn, ChangeWords.Declined, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
            case PreviewAnswer.Stale:
                LogStale(logger);
                await SayAsync(turn, ChangeWords.StaleConfirmation, cancellationToken).ConfigureAwait(false);
                await AskAgainAsync(turn, state, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            default:
                if (++state.UnclearAnswers >= MaxUnclearAnswers)
                {
                    await SayAsync(turn, ChangeWords.TooManyTries, cancellationToken).ConfigureAwait(false);
                    return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
                }
                await turn.SendActivityAsync(WithButtons(turn, MessageFactory.Text(words.Format(ChangeWords.ConfirmRetry, locale), inputHint: InputHints.ExpectingInput), state), cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
        }
    }

    /// <summary>Asked to carry on after sign-in (or help): the preview is taken again, fresh, and shown.</summary>
    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        var state = instance.GetState<State>()!;
        await RenewReceiptIfUsedAsync(state, cancellationToken).ConfigureAwait(false);
        var preview = await ChangeFor(state.Kind).PreviewAsync(state.Request, Context(state, turnContext), cancellationToken).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            await turnContext.SendActivityAsync(ChangeErrors.Describe(preview.Error, words, turnContext.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        Remember(state, preview.Value);
        await ShowAsync(turnContext, state, ChangeWords.ConfirmQuestion, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> PreviewAndAskAsync(DialogContext dc, State state, PreviewSummary? previous, object? readingOfThisTurn, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var context = Context(state, turn) with { ReadingOfThisTurn = readingOfThisTurn };
        var preview = await ChangeFor(state.Kind).PreviewAsync(state.Request, context, cancellationToken).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            if (preview.Error.IsSessionInvalid)
            {
                return await AccountDialog.RequireSignInAsync(dc, cancellationToken).ConfigureAwait(false);
            }
            await turn.SendActivityAsync(ChangeErrors.Describe(preview.Error, words, turn.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
        }
        Remember(state, preview.Value);
        var changed = previous is not null && previous.Fingerprint != preview.Value.Fingerprint;
        await ShowAsync(turn, state, changed ? ChangeWords.NumbersChanged : ChangeWords.ConfirmQuestion, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    private static PreviewContext Context(State state, ITurnContext turn) => new(state.Currency, turn.Activity.Locale, state.Effective) { AddOns = state.AddOns };

    private void Remember(State state, PreviewSummary preview)
    {
        state.Preview = preview with { Consequences = [.. preview.Consequences, .. state.Consequences] };
        state.PreviewId = $"pv_{Guid.NewGuid():N}"[..19];
        state.PreviewedAt = timeProvider.GetUtcNow();
        state.UnclearAnswers = 0;
    }

    private async Task<DialogTurnResult> ApplyAsync(DialogContext dc, State state, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        await turn.SendActivityAsync(MessageFactory.Typing(), cancellationToken).ConfigureAwait(false);

        // Written already (a "yes" sent again after a crash or a lost reply): settle it, never write twice.
        if (await writer.FindAsync(state.ReceiptId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return await TellAsync(dc, state, await writer.SettleEarlierAsync(earlier, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        if (await RefreshIfStaleAsync(dc, state, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            return refreshed;
        }
        var (accountNo, stopped) = await CheckSessionAsync(dc, cancellationToken).ConfigureAwait(false);
        if (stopped is not null)
        {
            return stopped;
        }
        var change = ChangeFor(state.Kind);
        var order = WriteOrder.ForPreviewedChange(change, state.Request, state.ReceiptId, accountNo, state.Description, state.Expectation, state.Preview);
        return await TellAsync(dc, state, await writer.WriteOnceAsync(turn, order, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A preview the customer looked at long ago may no longer be what Aria would do now: changed numbers are confirmed again.</summary>
    private async Task<DialogTurnResult?> RefreshIfStaleAsync(DialogContext dc, State state, CancellationToken cancellationToken)
    {
        if (timeProvider.GetUtcNow() - state.PreviewedAt <= selfService.CurrentValue.PreviewFreshness)
        {
            return null;
        }
        var turn = dc.Context;
        var shown = state.Preview;
        var fresh = await ChangeFor(state.Kind).PreviewAsync(state.Request, Context(state, turn), cancellationToken).ConfigureAwait(false);
        if (!fresh.IsSuccess)
        {
            await turn.SendActivityAsync(ChangeErrors.Describe(fresh.Error, words, turn.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
        }
        if (shown is null || (fresh.Value with { Consequences = [.. fresh.Value.Consequences, .. state.Consequences] }).Fingerprint != shown.Fingerprint)
        {
            Remember(state, fresh.Value);
            await ShowAsync(turn, state, ChangeWords.NumbersChanged, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }
        state.PreviewedAt = timeProvider.GetUtcNow();
        return null;
    }

    /// <summary>Invariant 1: a validation is the last Aria call before the write, and it names the same account.</summary>
    private async Task<(long AccountNo, DialogTurnResult? Stopped)> CheckSessionAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var check = await session.CheckBeforeWriteAsync(turn, cancellationToken).ConfigureAwait(false);
        var accountNo = AccountOf(dc);
        switch (check.Status)
        {
            case SessionStatus.SignedIn when check.AccountNo == accountNo:
                return (accountNo, null);
            case SessionStatus.SignedIn:
                await SayAsync(turn, ShellWords.DifferentAccount, cancellationToken).ConfigureAwait(false);
                return (accountNo, await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false));
            case SessionStatus.NotSignedIn or SessionStatus.Expired:
                return (accountNo, await AccountDialog.RequireSignInAsync(dc, cancellationToken).ConfigureAwait(false));
            case SessionStatus.Unavailable:
                await SayAsync(turn, ShellWords.AriaUnavailable, cancellationToken).ConfigureAwait(false);
                return (accountNo, EndOfTurn);
            default:
                BotRuntime.Teams.PrivateChatRequest.Set(turn);
                await SayAsync(turn, ShellWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
                return (accountNo, await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Tells the customer how the write ended, in this change's words, and ends the confirmation with it.</summary>
    private async Task<DialogTurnResult> TellAsync(DialogContext dc, State state, WriteResult written, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        switch (written.Ending)
        {
            case WriteEnding.Applied:
                var done = written.Detail is { } detail && state.DoneTextWithDetail is { } withDetail
                    ? withDetail.Replace(ConfirmChangeOptions.DetailPlaceholder, detail, StringComparison.Ordinal)
                    : state.DoneText;
                await turn.SendActivityAsync(done, cancellationToken: cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.Committed, written.Detail), cancellationToken).ConfigureAwait(false);
            case WriteEnding.Refused when written.Refusal!.IsSessionInvalid:
                // The session ended between the check and the write: sign in again, then a fresh preview.
                return await AccountDialog.RequireSignInAsync(dc, cancellationToken).ConfigureAwait(false);
            case WriteEnding.Refused:
                await turn.SendActivityAsync(ChangeErrors.Describe(written.Refusal!, words, turn.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone, Refusal: written.Refusal), cancellationToken).ConfigureAwait(false);
            case WriteEnding.SettledBefore when written.Intent.Status == WriteIntentStatus.Committed:
                await SayAsync(turn, ChangeWords.AlreadyDone, cancellationToken).ConfigureAwait(false);
                await writer.MarkToldAsync(written.Intent.Id, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.Committed, written.Intent.Outcome), cancellationToken).ConfigureAwait(false);
            default:
                return await TellSettledAsync(dc, state, written.Intent, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> TellSettledAsync(DialogContext dc, State state, WriteIntent settled, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var (outcome, text) = settled.Status switch
        {
            WriteIntentStatus.Committed => (ChangeOutcome.Committed, state.DoneText),
            WriteIntentStatus.NotApplied => (ChangeOutcome.NotDone, words.Format(ShellWords.EarlierRequestNotDone, turn.Activity.Locale, new { description = state.Description })),
            _ => (ChangeOutcome.Unknown, words.Format(ShellWords.EarlierRequestUnknown, turn.Activity.Locale, new { description = state.Description })),
        };
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
        // Nothing is retried (invariant 3): when the outcome is unknown, a person checks the account.
        PersonRequests.Request(turn, PersonRequests.UnknownOutcome, when: outcome == ChangeOutcome.Unknown);
        await writer.MarkToldAsync(settled.Id, cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(new ChangeResult(outcome), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A receipt id belongs to one write: once a write was tried with it, a new preview gets a new one.</summary>
    private async Task RenewReceiptIfUsedAsync(State state, CancellationToken cancellationToken)
    {
        if (await writer.FindAsync(state.ReceiptId, cancellationToken).ConfigureAwait(false) is { Status: WriteIntentStatus.NotApplied })
        {
            state.ReceiptId = NewReceiptId();
            state.Request = ChangeFor(state.Kind).WithReceiptId(state.Request, state.ReceiptId);
        }
    }

    /// <summary>The preview card, then the question with Confirm / Cancel (as suggested actions where the channel shows them).</summary>
    private async Task ShowAsync(ITurnContext turn, State state, WordKey question, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var buttonsOnCard = ChannelCapabilities.MaxSuggestedActions(turn.Activity) < 2;
        var card = PreviewCard.Build(state.Preview!, state.Title, state.PreviewId, selfService.CurrentValue.TermsUrl, words, locale, withButtons: buttonsOnCard);
        var message = MessageFactory.Attachment(card, words.Format(question, locale), InputHints.ExpectingInput);
        await turn.SendActivityAsync(WithButtons(turn, message, state), cancellationToken).ConfigureAwait(false);
    }

    private async Task AskAgainAsync(ITurnContext turn, State state, CancellationToken cancellationToken) =>
        await turn.SendActivityAsync(WithButtons(turn, MessageFactory.Text(words.Format(ChangeWords.ConfirmRetry, turn.Activity.Locale), inputHint: InputHints.ExpectingInput), state), cancellationToken).ConfigureAwait(false);

    private Activity WithButtons(ITurnContext turn, Activity message, State state)
    {
        if (ChannelCapabilities.MaxSuggestedActions(turn.Activity) >= 2)
        {
            message.SuggestedActions = new SuggestedActions { Actions = [.. PreviewCard.SuggestedActions(state.PreviewId, words, turn.Activity.Locale)] };
        }
        return message;
    }

    private Task SayAsync(ITurnContext turn, WordKey key, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(words.Format(key, turn.Activity.Locale), cancellationToken: cancellationToken);

    private static long AccountOf(DialogContext dc) => AccountDialog.AccountOfDialog(dc);

    /// <summary>Aria's <c>client_receipt_id</c> (unique per client, at most 50 characters; inf: length limit unverified against Aria).</summary>
    private static string NewReceiptId() => $"ab-{Guid.NewGuid():N}";

    [LoggerMessage(Level = LogLevel.Information, Message = "A confirmation for another preview was ignored; nothing was written")]
    private static partial void LogStale(ILogger logger);
}
