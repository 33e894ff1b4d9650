using Aria.Client;
using Aria.Client.Models;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Payments;
using AriaBot.Plans;
using AriaBot.Session;
using BotRuntime.Dialogs;

namespace AriaBot.Account.Overview;

/// <summary>
/// "My account": one card with the balance, the next bill date, the plans with their status in plain words and the
/// payment methods (masked, primary first). Read from Aria after the session check, every time; nothing of it is kept.
/// </summary>
public sealed class AccountOverviewDialog : AccountDialog
{
    public const string DialogId = "accountOverview";
    private const string StepsId = "accountOverviewSteps";

    private readonly IAriaClient _aria;
    private readonly TimeProvider _time;

    public AccountOverviewDialog(IAccountSession session, IWords words, IAriaClient aria, TimeProvider time)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _time = time;
        AddDialog(new WaterfallDialog(StepsId, version: 1).Step(ShowAsync));
    }

    private async Task<DialogTurnResult> ShowAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var account = AccountOfDialog(step);
        // With its billing groups: the same reading then tells which payment method is primary, so the account is read
        // once in this turn rather than again by the payment-method list.
        var details = await _aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = account, IncludeBillingGroups = 1 }, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(details.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var plans = await AccountPlans.ReadAsync(_aria, account, cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(plans.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var methods = await PaymentMethodsOnFile.ReadAsync(_aria, account, details.Value, cancellationToken).ConfigureAwait(false);
        if (!methods.IsSuccess)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(methods.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }

        var card = Build(details.Value, plans.Value, methods.Value, locale);
        await step.Context.SendActivityAsync(card.ToActivity(step.Context.Activity), cancellationToken).ConfigureAwait(false);
        return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private AccountCard Build(GetAcctDetailsAllMResponse details, IReadOnlyList<AccountPlan> plans, IReadOnlyList<PaymentMethodOnFile> methods, string? locale)
    {
        var currency = details.AcctCurrency ?? plans.Select(plan => plan.Currency).FirstOrDefault(c => c is not null) ?? "usd";
        var balance = details.AcctBalance ?? 0;
        List<CardRow> summary = [new(Words.Format(AccountOverviewWords.Balance, locale), balance <= 0 ? Words.Format(AccountOverviewWords.NothingDue, locale) : null, WordsFormat.Money(balance, currency, locale))];
        // The next bill is the earliest next bill date among the plans still billed.
        if (plans.Where(plan => !plan.IsSupplemental && plan.IsChangeable && plan.NextBillDate is not null).Select(plan => plan.NextBillDate!.Value).DefaultIfEmpty().Min() is var next && next != default)
        {
            summary.Add(new CardRow(Words.Format(AccountOverviewWords.NextBill, locale), null, WordsFormat.Date(next, locale)));
        }

        // Masters first, each followed by its add-ons, so the card reads like the account's structure.
        var ordered = plans.Where(plan => !plan.IsSupplemental).OrderBy(plan => plan.PlanInstanceNo)
            .SelectMany(master => new[] { master }.Concat(plans.Where(plan => plan.IsSupplemental && plan.ParentPlanInstanceNo == master.PlanInstanceNo)))
            .Concat(plans.Where(plan => plan.IsSupplemental && !plans.Any(master => master.PlanInstanceNo == plan.ParentPlanInstanceNo)))
            .ToList();
        List<CardRow> planRows = [.. ordered.Select(plan => PlanRow(plan, locale))];
        if (planRows.Count == 0)
        {
            planRows.Add(new CardRow(Words.Format(AccountOverviewWords.NoPlans, locale)));
        }

        var now = _time.GetUtcNow();
        List<CardRow> methodRows = [.. methods.Where(method => method.IsActive).Select(method => PaymentMethodWords.Row(method, now, Words, locale))];
        if (methodRows.Count == 0)
        {
            methodRows.Add(new CardRow(Words.Format(AccountOverviewWords.NoPaymentMethod, locale)));
        }

        var name = details.FirstName ?? string.Empty;
        return new AccountCard(Words.Format(AccountOverviewWords.Title, locale, new { name }),
        [
            new CardSection(null, summary),
            new CardSection(Words.Format(AccountOverviewWords.Plans, locale), planRows),
            new CardSection(Words.Format(AccountOverviewWords.PaymentMethods, locale), methodRows),
        ]);
    }

    private CardRow PlanRow(AccountPlan plan, string? locale)
    {
        var label = plan.Units == 1 ? plan.Name : Words.Format(AccountOverviewWords.PlanUnits, locale, new { plan = plan.Name, units = WordsFormat.Number(plan.Units, locale) });
        var status = Words.Format(AccountWords.PlanStatus(plan.StatusCd), locale);
        var detail = plan.IsSupplemental ? Words.Format(AccountOverviewWords.AddOn, locale, new { status })
            : plan.IsChangeable && plan.NextBillDate is { } next ? Words.Format(AccountOverviewWords.NextBillOn, locale, new { status, date = WordsFormat.Date(next, locale) })
            : status;
        return new CardRow(label, detail);
    }
}
