using Aria.Client;
using Aria.Client.Models;
using AriaBot.Audit;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>One line of the list as kept in dialog state: the method's number and its masked label, nothing more.</summary>
public sealed record ListedMethod(long PaymentMethodNo, string Label, bool IsPrimary, bool IsCard);

/// <summary>
/// Update payment information: lists the methods on file (masked), then replaces the card on file or adds one — both
/// on the secure page (<see cref="PaymentMethodLinks"/>), never in chat — or disables one
/// (<c>update_payment_method_m</c> with <c>disabled_ind=1</c>, after an explicit yes, with the session validated last).
/// </summary>
public sealed class PaymentMethodsDialog : AccountDialog
{
    public const string DialogId = "paymentMethods";
    private const string ActionPrompt = "paymentMethodsAction";
    private const string DisablePrompt = "paymentMethodsDisable";
    private const string ConfirmPromptId = "paymentMethodsConfirm";

    private const string Replace = "replace";
    private const string Add = "add";
    private const string Disable = "disable";
    private const string Nothing = "nothing";

    private readonly IAriaClient _aria;
    private readonly PaymentMethodLinks _links;
    private readonly IAuditLog _audit;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly IOptionsMonitor<PaymentMethodOptions> _options;
    private readonly TimeProvider _timeProvider;

    public PaymentMethodsDialog(IAccountSession session, IWords words, IAriaClient aria, PaymentMethodLinks links, IAuditLog audit,
        IOptionsMonitor<SelfServiceOptions> selfService, IOptionsMonitor<PaymentMethodOptions> options, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _links = links;
        _audit = audit;
        _selfService = selfService;
        _options = options;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog("paymentMethodsSteps", version: 1)
            .Step(ListAsync)
            .Step(ActAsync)
            .Step(ConfirmDisableAsync)
            .Step(DisableAsync));
        AddDialog(new ChoicePrompt(ActionPrompt));
        AddDialog(new ChoicePrompt(DisablePrompt));
        AddDialog(new ConfirmPrompt(ConfirmPromptId) { Strict = true });
    }

    private async Task<DialogTurnResult> ListAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var read = await PaymentMethodsOnFile.ReadAsync(_aria, AccountOfDialog(step), cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(read.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var now = _timeProvider.GetUtcNow();
        List<ListedMethod> active = [.. read.Value.Where(method => method.IsActive).Select(method => new ListedMethod(method.PaymentMethodNo, Label(method, locale), method.IsPrimary, method.IsCard))];
        step.Values.Set("methods", active);
        if (active.Count == 0)
        {
            await step.Context.SendActivityAsync(Words.Format(PaymentMethodsWords.NoneOnFile, locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var lines = read.Value.Where(method => method.IsActive).Select(method =>
            {
                var label = Label(method, locale);
                label = method.IsExpired(now) ? Words.Format(PaymentMethodsWords.Expired, locale, new { method = label }) : label;
                return "• " + (method.IsPrimary ? Words.Format(PaymentMethodsWords.Primary, locale, new { method = label })
                    : method.IsBackup ? Words.Format(PaymentMethodsWords.Backup, locale, new { method = label }) : label);
            });
            await step.Context.SendActivityAsync(Words.Format(PaymentMethodsWords.OnFile, locale, new { methods = string.Join("\n", lines) }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // Replace what bills today; add when nothing does; disable any other active method.
        List<string> actions = [active.Exists(method => method.IsPrimary) ? Replace : Add];
        if (active.Exists(method => !method.IsPrimary))
        {
            actions.Add(Disable);
        }
        actions.Add(Nothing);
        step.Values.Set("actions", actions);
        return await step.PromptAsync(ActionPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.WhatNext, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.WhatNextRetry, locale)),
            Choices = [.. actions.Select(action => new Choice(Words.Format(TitleOf(action), locale), []))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ActAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var action = step.Values.Get<List<string>>("actions")![((FoundChoice)step.Result!).Index];
        var methods = step.Values.Get<List<ListedMethod>>("methods")!;
        switch (action)
        {
            case Replace or Add:
                return await SendLinkAsync(step, action == Replace ? methods.First(method => method.IsPrimary).PaymentMethodNo : null, cancellationToken).ConfigureAwait(false);
            case Disable:
                var candidates = methods.Where(method => !method.IsPrimary).ToList();
                step.Values.Set("candidates", candidates);
                return await step.PromptAsync(DisablePrompt, new PromptOptions
                {
                    Prompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.WhichToDisable, locale)),
                    RetryPrompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.WhichToDisableRetry, locale)),
                    Choices = [.. candidates.Select(method => new Choice(method.Label, []))],
                }, cancellationToken).ConfigureAwait(false);
            default:
                return await SayAndEndAsync(step, Words.Format(PaymentMethodsWords.NothingChanged, locale), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> SendLinkAsync(WaterfallStepContext step, long? replaces, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        // The page takes cards only (bank details would need their own page and checks).
        if (!_selfService.CurrentValue.AcceptedPaymentMethodTypes.Contains(1))
        {
            return await SayAndEndAsync(step, Words.Format(PaymentMethodsWords.CardsNotAccepted, locale), cancellationToken).ConfigureAwait(false);
        }
        var key = BindingKey.For(step.Context)!;
        var link = await _links.CreateAsync(key, AccountOfDialog(step), replaces, step.Context.Activity, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return await SayAndEndAsync(step, Words.Format(PaymentMethodsWords.LinksRateLimited, locale), cancellationToken).ConfigureAwait(false);
        }
        var minutes = Math.Max(1, (int)Math.Round(_options.CurrentValue.LinkLifetime.TotalMinutes)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var card = new HeroCard
        {
            Title = Words.Format(PaymentMethodsWords.LinkTitle, locale),
            Text = Words.Format(PaymentMethodsWords.LinkText, locale, new { minutes }),
            Buttons = [CardAction.OpenUrl(Words.Format(PaymentMethodsWords.LinkButton, locale), link.Url.ToString())],
        };
        await step.Context.SendActivityAsync(MessageFactory.Attachment(card.ToAttachment()), cancellationToken).ConfigureAwait(false);
        // The page tells this conversation how it went (PaymentMethodNotice); the dialog has nothing left to wait for.
        return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmDisableAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var chosen = step.Values.Get<List<ListedMethod>>("candidates")![((FoundChoice)step.Result!).Index];
        step.Values.Set("chosen", chosen);
        return await step.PromptAsync(ConfirmPromptId, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.ConfirmDisable, locale, new { method = chosen.Label })),
            RetryPrompt = MessageFactory.Text(Words.Format(PaymentMethodsWords.ConfirmDisableRetry, locale)),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> DisableAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        if (!step.ResultAs<bool>())
        {
            return await SayAndEndAsync(step, Words.Format(PaymentMethodsWords.NothingChanged, locale), cancellationToken).ConfigureAwait(false);
        }
        var chosen = step.Values.Get<ListedMethod>("chosen")!;
        // Invariant 1: the session check is the last Aria call before the write, on the account Aria returns.
        var check = await Session.CheckBeforeWriteAsync(step.Context, cancellationToken).ConfigureAwait(false);
        if (check.Status is SessionStatus.NotSignedIn or SessionStatus.Expired)
        {
            return await RequireSignInAsync(step, cancellationToken).ConfigureAwait(false);
        }
        if (!check.IsAccount(AccountOfDialog(step)))
        {
            return await SayAndEndAsync(step, Words.Format(ShellWords.DifferentAccount, locale), cancellationToken).ConfigureAwait(false);
        }
        var receipt = "pmd-" + Guid.NewGuid().ToString("N");
        var result = await _aria.UpdatePaymentMethodAsync(new UpdatePaymentMethodMRequest
        {
            AcctNo = check.AccountNo,
            PaymentMethodNo = chosen.PaymentMethodNo,
            DisabledInd = 1,
            ClientReceiptId = receipt,
        }, cancellationToken).ConfigureAwait(false);
        var outcome = result.IsSuccess ? AuditOutcome.Committed : result.Error!.OutcomeUnknown ? AuditOutcome.Unknown : AuditOutcome.Rejected;
        await _audit.AppendAsync(new AuditEntry
        {
            Id = Guid.NewGuid().ToString("N"),
            At = _timeProvider.GetUtcNow(),
            AccountNo = check.AccountNo!.Value,
            Call = "update_payment_method_m",
            Outcome = outcome,
            ChannelId = step.Context.Activity.ChannelId,
            ConversationId = step.Context.Activity.Conversation?.Id,
            ConfirmationActivityId = step.Context.Activity.Id,
            ReceiptId = receipt,
            AriaErrorCode = result.IsSuccess ? null : result.Error!.Code,
            Detail = $"disable payment method {chosen.PaymentMethodNo}",
        }, cancellationToken).ConfigureAwait(false);
        return await SayAndEndAsync(step, result.IsSuccess
            ? Words.Format(PaymentMethodsWords.Disabled, locale, new { method = chosen.Label })
            : Words.Format(PaymentMethodsWords.DisableFailed, locale), cancellationToken).ConfigureAwait(false);
    }

    private string Label(PaymentMethodOnFile method, string? locale) =>
        method.IsCard && method.Expires is { } expires
            ? PaymentMethodsWords.Describe(Words, locale, new MaskedCard(method.CardType ?? "Card", method.Suffix, expires))
            : Words.Format(PaymentMethodsWords.Bank, locale, new { suffix = method.Suffix });

    private static WordKey TitleOf(string action) => action switch
    {
        Replace => PaymentMethodsWords.ChoiceReplace,
        Add => PaymentMethodsWords.ChoiceAdd,
        Disable => PaymentMethodsWords.ChoiceDisable,
        _ => PaymentMethodsWords.ChoiceNothing,
    };
}
