using System.Globalization;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Audit;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.Understanding;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Payments.MakePayment;

/// <summary>
/// What the customer already said ("pay $50", "pay the full balance"), and, when the dialog starts over after a
/// decline, the amount they chose, the method to try and how many declines there were.
/// </summary>
public sealed class MakePaymentOptions
{
    public decimal? Amount { get; set; }

    /// <summary>The currency the customer wrote with <see cref="Amount"/>, if they wrote one.</summary>
    public string? StatedCurrency { get; set; }

    public bool FullBalance { get; set; }

    public long? PaymentMethodNo { get; set; }

    public int Declines { get; set; }

    public List<long> DeclinedMethods { get; set; } = [];
}

/// <summary>A usable method on file as the dialog keeps it: its number and its masked label only.</summary>
public sealed record MethodChoice(long PaymentMethodNo, string Label);

/// <summary>
/// One-time payment: the balance due first, then the amount (refused before any Aria call when it may not be paid),
/// the method on file by its masked label (primary first; expired and disabled never offered), then the shared
/// confirmation turn, which shows the exact amount, method and balance after and writes once through
/// <see cref="ChangeWriter"/>. A decline offers another method, the secure page, or a person (a person first after two).
/// </summary>
public sealed class MakePaymentDialog : AccountDialog
{
    public const string DialogId = "makePayment";
    private const string StepsId = "makePaymentSteps";
    private const string AmountPrompt = "makePaymentAmount";
    private const string MethodPrompt = "makePaymentMethod";
    private const string NextPrompt = "makePaymentAfterDecline";

    private readonly IAriaClient _aria;
    private readonly IAuditLog _audit;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly TimeProvider _timeProvider;

    public MakePaymentDialog(IAccountSession session, IWords words, IAriaClient aria, IAuditLog audit, IOptionsMonitor<SelfServiceOptions> selfService, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _audit = audit;
        _selfService = selfService;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog(StepsId, version: 1)
            .WithOptions<MakePaymentOptions>()
            .Step(ReadAccountAsync)
            .Step(ChooseMethodAsync)
            .Step(ConfirmAsync)
            .Step(AfterConfirmationAsync)
            .Step(AfterDeclineAsync));
        AddDialog(new TextPrompt(AmountPrompt, ValidateAmountAsync));
        AddDialog(new ChoicePrompt(MethodPrompt));
        AddDialog(new ChoicePrompt(NextPrompt));
    }

    private async Task<DialogTurnResult> ReadAccountAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var options = step.GetOptions<MakePaymentOptions>() ?? new MakePaymentOptions();
        var accountNo = AccountOfDialog(step);
        var reading = await PaymentReading.ReadAsync(_aria, accountNo, cancellationToken).ConfigureAwait(false);
        if (!reading.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(reading.Error!, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        reading.Value!.KeepForTurn(step.Context);
        var rules = _selfService.CurrentValue;
        var limits = new PaymentLimits(reading.Value.Balance, reading.Value.Currency, rules.MaxPayment, rules.AllowPrepayment);
        step.Values.Set("limits", limits);
        var balance = Money(limits.Balance, limits, locale);
        if (limits.Balance <= 0 && !limits.AllowPrepayment)
        {
            return await SayAndEndAsync(step, Words.Format(MakePaymentWords.NothingDue, locale, new { balance }), cancellationToken).ConfigureAwait(false);
        }
        var now = _timeProvider.GetUtcNow();
        List<MethodChoice> usable = [.. reading.Value.Methods
            .Where(method => method.IsUsable(now) && rules.AcceptedPaymentMethodTypes.Contains((int)method.PayMethodType) && !options.DeclinedMethods.Contains(method.PaymentMethodNo))
            .Select(method => new MethodChoice(method.PaymentMethodNo, MethodLabel.Of(method, Words, locale)))];
        if (usable.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(MakePaymentWords.NoUsableMethod, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("methods", usable);
        if (options.Declines == 0)
        {
            await step.Context.SendActivityAsync(Words.Format(MakePaymentWords.BalanceDue, locale, new { balance }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        AmountVerdict? said = options.FullBalance ? PaymentAmount.Judge(Words.Format(MakePaymentWords.FullBalanceButton, locale), locale, limits, Words.Format(MakePaymentWords.FullBalanceButton, locale))
            : options.Amount is { } amount ? PaymentAmount.Judge(amount, options.StatedCurrency, options.StatedCurrency is not null, limits)
            : null;
        if (said is { Accepted: true })
        {
            step.Values.Set("verdict", said);
            return await step.NextAsync(null, cancellationToken).ConfigureAwait(false);
        }
        if (said is not null)
        {
            await RefuseAsync(step.Context, said, limits, cancellationToken).ConfigureAwait(false);
        }
        var button = Words.Format(MakePaymentWords.FullBalanceButton, locale);
        return await step.PromptAsync(AmountPrompt, new PromptOptions
        {
            Prompt = MessageFactory.SuggestedActions([button], Words.Format(MakePaymentWords.HowMuch, locale, new { balance })),
            RetryPrompt = MessageFactory.SuggestedActions([button], Words.Format(MakePaymentWords.HowMuchRetry, locale)),
            Validations = limits,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refused amounts are explained (and audited) here, before Aria hears of them; the prompt then asks again.</summary>
    private async Task<bool> ValidateAmountAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken)
    {
        var locale = prompt.Context.Activity.Locale;
        var limits = prompt.Options.GetValidations<PaymentLimits>()!;
        var verdict = PaymentAmount.Judge(prompt.Context.Activity.Text, locale, limits, Words.Format(MakePaymentWords.FullBalanceButton, locale));
        if (!verdict.Accepted)
        {
            await RefuseAsync(prompt.Context, verdict, limits, cancellationToken).ConfigureAwait(false);
        }
        return verdict.Accepted;
    }

    private async Task<DialogTurnResult> ChooseMethodAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var limits = step.Values.Get<PaymentLimits>("limits")!;
        if (step.Result is string answer)
        {
            step.Values.Set("verdict", PaymentAmount.Judge(answer, locale, limits, Words.Format(MakePaymentWords.FullBalanceButton, locale)));
        }
        var methods = step.Values.Get<List<MethodChoice>>("methods")!;
        var wanted = step.GetOptions<MakePaymentOptions>()?.PaymentMethodNo;
        if (methods.Find(method => method.PaymentMethodNo == wanted) is { } named)
        {
            return await step.NextAsync(named, cancellationToken).ConfigureAwait(false);
        }
        if (methods.Count == 1)
        {
            return await step.NextAsync(methods[0], cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(MethodPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(MakePaymentWords.WhichMethod, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(MakePaymentWords.WhichMethodRetry, locale)),
            Choices = [.. methods.Select(method => new Choice(method.Label))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var methods = step.Values.Get<List<MethodChoice>>("methods")!;
        var method = step.Result as MethodChoice ?? methods[((FoundChoice)step.Result!).Index];
        step.Values.Set("method", method);
        var limits = step.Values.Get<PaymentLimits>("limits")!;
        var verdict = step.Values.Get<AmountVerdict>("verdict")!;
        var accountNo = AccountOfDialog(step);

        // The mark that keeps an older payment from being taken for this one, should its reply be lost.
        var newest = await PaymentReconciler.NewestPaymentAsync(_aria, accountNo, cancellationToken).ConfigureAwait(false);
        var (kind, request) = verdict.FullBalance
            ? (SettleBalanceChange.ChangeKind, ChangeRequest.From(new SettleAccountBalanceMRequest { AcctNo = accountNo, PaymentMethodNo = method.PaymentMethodNo }))
            : (CollectPaymentChange.ChangeKind, ChangeRequest.From(new CollectFromAccountMRequest { AcctNo = accountNo, AmountToCollect = verdict.Amount, PaymentMethodNo = method.PaymentMethodNo }));
        var amount = Money(verdict.Amount, limits, locale);
        var balanceAfter = Money(limits.Balance - verdict.Amount, limits, locale);
        // Shown in the turn that read the account (no question in between), the card shows that same reading.
        var sameTurn = PaymentReading.OfTurn(step.Context, accountNo);
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = kind,
            Request = request,
            Title = Words.Format(MakePaymentWords.Title, locale, new { amount }),
            Description = Words.Format(MakePaymentWords.Description, locale, new { amount, method = method.Label }),
            DoneText = Words.Format(MakePaymentWords.Done, locale, new { amount, method = method.Label, balance = balanceAfter }),
            DoneTextWithDetail = Words.Format(MakePaymentWords.DoneWithReceipt, locale,
                new { amount, method = method.Label, balance = balanceAfter, receipt = ConfirmChangeOptions.DetailPlaceholder }),
            Currency = limits.Currency,
            Expectation = new PaymentExpectation(verdict.Amount, method.PaymentMethodNo, newest).ToJson(),
            ReadingOfThisTurn = sameTurn,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AfterConfirmationAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is not ChangeResult { Outcome: ChangeOutcome.NotDone, Refusal: { IsDeclined: true } refusal })
        {
            return await step.EndDialogAsync(step.Result, cancellationToken).ConfigureAwait(false);
        }
        var options = step.GetOptions<MakePaymentOptions>() ?? new MakePaymentOptions();
        var declines = options.Declines + 1;
        step.Values.Set("declines", declines);
        var reason = Words.Format(refusal.Is(AriaErrorCode.CardAuthorizationFailed) ? MakePaymentWords.ReasonNotAuthorised : MakePaymentWords.ReasonNotCollected, locale);
        await step.Context.SendActivityAsync(Words.Format(MakePaymentWords.Declined, locale, new { reason }), cancellationToken: cancellationToken).ConfigureAwait(false);

        var declined = step.Values.Get<MethodChoice>("method")!;
        var others = step.Values.Get<List<MethodChoice>>("methods")!.Where(method => method.PaymentMethodNo != declined.PaymentMethodNo).Select(method => method.Label);
        List<string> help = [Words.Format(MakePaymentWords.UpdateMethodChoice, locale), Words.Format(MakePaymentWords.PersonChoice, locale)];
        // After two declines a person comes first: a third card attempt is more often the problem than the fix.
        List<string> choices = declines >= 2 ? [help[1], .. others, help[0]] : [.. others, .. help];
        step.Values.Set("nextChoices", choices);
        return await step.PromptAsync(NextPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(declines >= 2 ? MakePaymentWords.WhatNextAfterTwo : MakePaymentWords.WhatNext, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(MakePaymentWords.WhatNext, locale)),
            Choices = [.. choices.Select(choice => new Choice(choice))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AfterDeclineAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is not FoundChoice choice)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var picked = step.Values.Get<List<string>>("nextChoices")![choice.Index];
        // Both hand the customer on through the shell, as if they had asked for it: the secure payment-method page's
        // flow, or a person (a live handoff when agents are configured, the support contact otherwise).
        if (picked == Words.Format(MakePaymentWords.UpdateMethodChoice, locale))
        {
            return await step.EndDialogAsync(new PassOnUtterance(Words.Format(IntentWords.Label(Intent.UpdatePaymentMethod), locale)), cancellationToken).ConfigureAwait(false);
        }
        if (picked == Words.Format(MakePaymentWords.PersonChoice, locale))
        {
            return await step.EndDialogAsync(new PassOnUtterance(Words.Format(IntentWords.Label(Intent.TalkToAgent), locale)), cancellationToken).ConfigureAwait(false);
        }
        var options = step.GetOptions<MakePaymentOptions>() ?? new MakePaymentOptions();
        var verdict = step.Values.Get<AmountVerdict>("verdict")!;
        var declined = step.Values.Get<MethodChoice>("method")!;
        var next = step.Values.Get<List<MethodChoice>>("methods")!.First(method => method.Label == picked);
        return await step.ReplaceDialogAsync(StepsId, new MakePaymentOptions
        {
            Amount = verdict.FullBalance ? null : verdict.Amount,
            FullBalance = verdict.FullBalance,
            PaymentMethodNo = next.PaymentMethodNo,
            Declines = step.Values.Get<int>("declines"),
            DeclinedMethods = [.. options.DeclinedMethods, declined.PaymentMethodNo],
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Says why the amount is not taken and leaves an audit row; Aria is not called.</summary>
    private async Task RefuseAsync(BotRuntime.Builder.ITurnContext turn, AmountVerdict verdict, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var text = verdict.Refusal switch
        {
            AmountRefusal.Zero => Words.Format(MakePaymentWords.Zero, locale),
            AmountRefusal.Negative => Words.Format(MakePaymentWords.Negative, locale),
            AmountRefusal.TooManyDecimals => Words.Format(MakePaymentWords.TooManyDecimals, locale),
            AmountRefusal.OtherCurrency => Words.Format(MakePaymentWords.OtherCurrency, locale, new { currency = limits.Currency }),
            AmountRefusal.OverMaximum => Words.Format(MakePaymentWords.OverMaximum, locale, new { max = Money(limits.MaxPayment, limits, locale) }),
            AmountRefusal.OverBalance => Words.Format(MakePaymentWords.OverBalance, locale, new { balance = Money(limits.Balance, limits, locale) }),
            _ => Words.Format(MakePaymentWords.NotUnderstood, locale),
        };
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (verdict.Refusal is AmountRefusal.NotUnderstood)
        {
            return;
        }
        var accountNo = (await Session.CheckAsync(turn, cancellationToken).ConfigureAwait(false)).AccountNo;
        await _audit.AppendAsync(new AuditEntry
        {
            Id = $"refused-{Guid.NewGuid():N}",
            At = _timeProvider.GetUtcNow(),
            AccountNo = accountNo ?? 0,
            Call = "collect_from_account_m",
            Outcome = AuditOutcome.Rejected,
            ChannelId = turn.Activity.ChannelId,
            ConversationId = turn.Activity.Conversation?.Id,
            PreviewTotal = verdict.Amount,
            Currency = verdict.StatedCurrency ?? limits.Currency,
            Detail = string.Create(CultureInfo.InvariantCulture, $"payment refused before Aria: {verdict.Refusal}"),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Money(decimal amount, PaymentLimits limits, string? locale) => WordsFormat.Money(amount, limits.Currency, locale);
}
