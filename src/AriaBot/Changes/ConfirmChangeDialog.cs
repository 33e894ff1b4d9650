using System.Text.Json;
using Aria.Client;
using AriaBot.Audit;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.Shell;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Changes;

/// <summary>What a use case asks <see cref="ConfirmChangeDialog"/> to preview, confirm and apply.</summary>
public sealed class ConfirmChangeOptions
{
    /// <summary>The <see cref="IPreviewedChange.Kind"/> that runs it.</summary>
    public required string Kind { get; init; }

    /// <summary>The Aria request, as <see cref="ChangeRequest.From{TRequest}"/> made it; <c>do_write</c> and the receipt id are set here.</summary>
    public required JsonElement Request { get; init; }

    /// <summary>The card's title, in the customer's words ("Switch from Standard to Premium").</summary>
    public required string Title { get; init; }

    /// <summary>What to say once Aria applied it.</summary>
    public required string DoneText { get; init; }

    /// <summary>
    /// What to say once Aria applied it when the write's reply carries a <see cref="ChangeApplied.Detail"/> (an order
    /// number): <see cref="DetailPlaceholder"/> in it is replaced by the detail. Null, or no detail (a lost reply
    /// proven committed by reading the account): <see cref="DoneText"/>.
    /// </summary>
    public string? DoneTextWithDetail { get; init; }

    /// <summary>Stands for <see cref="ChangeApplied.Detail"/> in <see cref="DoneTextWithDetail"/>; pass it as the sentence's placeholder value.</summary>
    public const string DetailPlaceholder = "{detail}";

    /// <summary>A short plain description for the audit log and for a later "your earlier request…" message.</summary>
    public required string Description { get; init; }

    /// <summary>What else happens, worded for the customer (added under Aria's lines).</summary>
    public List<string> Consequences { get; init; } = [];

    /// <summary>The account's currency (Aria's replies carry amounts only).</summary>
    public required string Currency { get; init; }

    /// <summary>When the change applies, worded for the customer; null when it follows the client's rule and Aria does not say.</summary>
    public string? Effective { get; init; }

    /// <summary>Supplemental plans on the account (plan number → name), so the preview can say which ones end.</summary>
    public Dictionary<long, string> AddOns { get; init; } = [];

    /// <summary>
    /// What the change's <see cref="IWriteReconciler"/> needs to recognise the write in the account when the request
    /// alone does not tell (an add: the plan instances there before it), kept in the write intent. Default: the request.
    /// </summary>
    public JsonElement? Expectation { get; init; }
}

public enum ChangeOutcome
{
    /// <summary>Aria applied it.</summary>
    Committed,
    /// <summary>Nothing was changed (declined, refused, abandoned).</summary>
    NotDone,
    /// <summary>It could not be proven either way; the customer was told and offered a person.</summary>
    Unknown,
}

/// <summary>How the confirmation ended, for the use case to carry on from.</summary>
public sealed record ChangeResult(ChangeOutcome Outcome, string? Detail = null);

/// <summary>
/// The confirmation turn of every account change (design invariants 2 and 3). It sends the change with
/// <c>do_write=false</c>, shows exactly what Aria returned, and sends the identical request with
/// <c>do_write=true</c> only after a yes to <em>that</em> preview: a button carrying its preview id, or a message that
/// is nothing but a yes. Before the write, a stale preview is refreshed (changed numbers are confirmed again), the
/// session is validated last, and a pending write intent is recorded under the change's receipt id; after it, the
/// outcome is settled once — a lost reply is reconciled by reading the account, never by sending it again.
/// Every write leaves exactly one audit row.
/// </summary>
public sealed partial class ConfirmChangeDialog(
    IEnumerable<IPreviewedChange> changes,
    IAccountSession session,
    IWriteLedger intents,
    WriteReconciliation reconciliation,
    IAuditLog audit,
    IWords words,
    IOptionsMonitor<SelfServiceOptions> selfService,
    TimeProvider timeProvider,
    ILogger<ConfirmChangeDialog> logger) : Dialog(DialogId, version: 1)
{
    public const string DialogId = "confirmChange";

    /// <summary>After this long without Aria's answer, the customer hears that it is still in progress (channels give up after ~15 s).</summary>
    public static readonly TimeSpan SlowWriteNotice = TimeSpan.FromSeconds(8);

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
        return await PreviewAndAskAsync(dc, state, previous: null, cancellationToken).ConfigureAwait(false);
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
        switch (Interpret(turn.Activity, state))
        {
            case Answer.Confirm:
                return await ApplyAsync(dc, state, cancellationToken).ConfigureAwait(false);
            case Answer.Decline:
                await SayAsync(turn, ChangeWords.Declined, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
            case Answer.Stale:
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

    private async Task<DialogTurnResult> PreviewAndAskAsync(DialogContext dc, State state, PreviewSummary? previous, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var preview = await ChangeFor(state.Kind).PreviewAsync(state.Request, Context(state, turn), cancellationToken).ConfigureAwait(false);
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
        var locale = turn.Activity.Locale;
        await turn.SendActivityAsync(MessageFactory.Typing(), cancellationToken).ConfigureAwait(false);

        // Written already (a "yes" sent again after a crash or a lost reply): settle it, never write twice.
        if (await intents.GetAsync(state.ReceiptId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return await SettleEarlierAsync(dc, earlier, cancellationToken).ConfigureAwait(false);
        }

        // A preview the customer looked at long ago may no longer be what Aria would do now.
        if (timeProvider.GetUtcNow() - state.PreviewedAt > selfService.CurrentValue.PreviewFreshness)
        {
            var shown = state.Preview;
            var fresh = await ChangeFor(state.Kind).PreviewAsync(state.Request, Context(state, turn), cancellationToken).ConfigureAwait(false);
            if (!fresh.IsSuccess)
            {
                await turn.SendActivityAsync(ChangeErrors.Describe(fresh.Error, words, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
            }
            if (shown is null || (fresh.Value with { Consequences = [.. fresh.Value.Consequences, .. state.Consequences] }).Fingerprint != shown.Fingerprint)
            {
                Remember(state, fresh.Value);
                await ShowAsync(turn, state, ChangeWords.NumbersChanged, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            }
            state.PreviewedAt = timeProvider.GetUtcNow();
        }

        // Invariant 1: a validation is the last Aria call before the write, and it names the same account.
        var check = await session.CheckBeforeWriteAsync(turn, cancellationToken).ConfigureAwait(false);
        var accountNo = AccountOf(dc);
        switch (check.Status)
        {
            case SessionStatus.SignedIn when check.AccountNo == accountNo:
                break;
            case SessionStatus.SignedIn:
                await SayAsync(turn, ShellWords.DifferentAccount, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
            case SessionStatus.NotSignedIn or SessionStatus.Expired:
                return await AccountDialog.RequireSignInAsync(dc, cancellationToken).ConfigureAwait(false);
            case SessionStatus.Unavailable:
                await SayAsync(turn, ShellWords.AriaUnavailable, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            default:
                await SayAsync(turn, ShellWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
        }

        // Invariant 3: the intent is durable before Aria hears of the write.
        var intent = new WriteIntent
        {
            Id = state.ReceiptId,
            Kind = state.Kind,
            AccountNo = accountNo,
            ConversationKey = turn.Activity.ConversationKey,
            CreatedAt = timeProvider.GetUtcNow(),
            RequestHash = ChangeRequest.Hash(state.Request),
            Expectation = state.Expectation ?? state.Request,
            Description = state.Description,
            PreviewTotal = state.Preview?.Total,
            Currency = state.Preview?.Currency,
            ConfirmationActivityId = turn.Activity.Id,
        };
        if (!await intents.RecordPendingAsync(intent, cancellationToken).ConfigureAwait(false))
        {
            return await SettleEarlierAsync(dc, (await intents.GetAsync(state.ReceiptId, cancellationToken).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
        }

        var write = ChangeFor(state.Kind).WriteAsync(state.Request, cancellationToken);
        if (await Task.WhenAny(write, Task.Delay(SlowWriteNotice, timeProvider, cancellationToken)).ConfigureAwait(false) != write)
        {
            await SayAsync(turn, ChangeWords.StillWorking, cancellationToken).ConfigureAwait(false);
        }
        var result = await write.ConfigureAwait(false);

        if (result.IsSuccess)
        {
            await intents.TryCompleteAsync(intent.Id, WriteIntentStatus.Committed, result.Value.Detail, customerTold: true, cancellationToken).ConfigureAwait(false);
            await AuditAsync(turn, intent, AuditOutcome.Committed, null, result.Value.Detail, cancellationToken).ConfigureAwait(false);
            var done = result.Value.Detail is { } detail && state.DoneTextWithDetail is { } withDetail
                ? withDetail.Replace(ConfirmChangeOptions.DetailPlaceholder, detail, StringComparison.Ordinal)
                : state.DoneText;
            await turn.SendActivityAsync(done, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.Committed, result.Value.Detail), cancellationToken).ConfigureAwait(false);
        }

        var error = result.Error;
        if (error.OutcomeUnknown || error.LikelyCommittedByEarlierAttempt || error.IsReceiptAlreadyUsed || ChangeFor(state.Kind).MayHaveBeenApplied(error))
        {
            // The reply was lost (or our own retry found the receipt used): read the account to learn the truth.
            LogOutcomeUnknown(logger, state.Kind);
            var settled = await reconciliation.ReconcileAsync(intent, cancellationToken).ConfigureAwait(false);
            return await TellSettledAsync(dc, state, settled, cancellationToken).ConfigureAwait(false);
        }

        // Aria refused (or was never reached): nothing changed.
        await intents.TryCompleteAsync(intent.Id, WriteIntentStatus.NotApplied, $"aria {error.Code}", customerTold: true, cancellationToken).ConfigureAwait(false);
        await AuditAsync(turn, intent, error.IsUnavailable ? AuditOutcome.Failed : AuditOutcome.Rejected, error.Kind == AriaErrorKind.Aria ? error.Code : null, null, cancellationToken).ConfigureAwait(false);
        if (error.IsSessionInvalid)
        {
            // The session ended between the check and the write: sign in again, then a fresh preview.
            return await AccountDialog.RequireSignInAsync(dc, cancellationToken).ConfigureAwait(false);
        }
        await turn.SendActivityAsync(ChangeErrors.Describe(error, words, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.NotDone), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A confirmation for a write that already has an intent: report how it ended, reconciling it first if needed.</summary>
    private async Task<DialogTurnResult> SettleEarlierAsync(DialogContext dc, WriteIntent earlier, CancellationToken cancellationToken)
    {
        var state = dc.ActiveDialog!.GetState<State>()!;
        if (earlier.Status == WriteIntentStatus.Pending)
        {
            earlier = await reconciliation.ReconcileAsync(earlier, cancellationToken).ConfigureAwait(false);
            return await TellSettledAsync(dc, state, earlier, cancellationToken).ConfigureAwait(false);
        }
        if (earlier.Status == WriteIntentStatus.Committed)
        {
            await SayAsync(dc.Context, ChangeWords.AlreadyDone, cancellationToken).ConfigureAwait(false);
            await intents.MarkToldAsync(earlier.Id, cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(new ChangeResult(ChangeOutcome.Committed, earlier.Outcome), cancellationToken).ConfigureAwait(false);
        }
        return await TellSettledAsync(dc, state, earlier, cancellationToken).ConfigureAwait(false);
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
        await intents.MarkToldAsync(settled.Id, cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(new ChangeResult(outcome), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A receipt id belongs to one write: once a write was tried with it, a new preview gets a new one.</summary>
    private async Task RenewReceiptIfUsedAsync(State state, CancellationToken cancellationToken)
    {
        if (await intents.GetAsync(state.ReceiptId, cancellationToken).ConfigureAwait(false) is { Status: WriteIntentStatus.NotApplied })
        {
            state.ReceiptId = NewReceiptId();
            state.Request = ChangeFor(state.Kind).WithReceiptId(state.Request, state.ReceiptId);
        }
    }

    private Task AuditAsync(ITurnContext turn, WriteIntent intent, AuditOutcome outcome, long? code, string? detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry
        {
            Id = intent.Id,
            At = timeProvider.GetUtcNow(),
            AccountNo = intent.AccountNo,
            Call = ChangeFor(intent.Kind).AriaCall,
            Outcome = outcome,
            ChannelId = turn.Activity.ChannelId,
            ConversationId = turn.Activity.Conversation?.Id,
            PreviewTotal = intent.PreviewTotal,
            Currency = intent.Currency,
            ConfirmationActivityId = intent.ConfirmationActivityId,
            ReceiptId = intent.Id,
            AriaErrorCode = code,
            Detail = detail is null ? intent.Description : $"{intent.Description}: {detail}",
        }, cancellationToken);

    private enum Answer { Confirm, Decline, Stale, Unclear }

    /// <summary>
    /// Only a button carrying this preview's id, or a message that is wholly a yes, confirms. A button of another
    /// preview is stale whatever it says; "yes but 5 seats" is not a yes.
    /// </summary>
    private static Answer Interpret(Activity activity, State state)
    {
        if (activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String
            && action.GetString() is PreviewCard.ConfirmAction or PreviewCard.DeclineAction)
        {
            var previewId = value.TryGetProperty("previewId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (previewId != state.PreviewId)
            {
                return Answer.Stale;
            }
            return action.GetString() == PreviewCard.ConfirmAction ? Answer.Confirm : Answer.Decline;
        }
        return ConfirmInput.Recognize(activity.Text, activity.Locale, ConfirmOptions.StrictYes).Outcome switch
        {
            ConfirmOutcome.Yes => Answer.Confirm,
            ConfirmOutcome.No => Answer.Decline,
            _ => Answer.Unclear,
        };
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} write's reply was lost; reconciling by reading the account")]
    private static partial void LogOutcomeUnknown(ILogger logger, string kind);
}
