using Aria.Client;
using Aria.Client.Models;
using AriaBot.Catalog;
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

namespace AriaBot.Plans.SwitchPlan;

/// <summary>What the customer already said ("switch me to Premium with 3 seats"): the target plan and units.</summary>
public sealed class SwitchPlanOptions
{
    /// <summary>The target's <c>client_plan_id</c>, from the visible catalog only.</summary>
    public string? TargetPlanId { get; set; }

    public int? Units { get; set; }
}

/// <summary>
/// Switch plan (<c>replace_acct_plan_m</c>): pick the plan instance (when there are several masters), pick the new plan
/// among those the customer may see, then the shared preview-and-confirm turn. Plans Aria hides or the operator
/// hides are never offered, and typing their name gets the same answer as a plan that does not exist.
/// </summary>
public sealed class SwitchPlanDialog : AccountDialog
{
    public const string DialogId = "switchPlan";
    private const string InstancePrompt = "switchPlanInstance";
    private const string TargetPrompt = "switchPlanTarget";

    private readonly IAriaClient _aria;
    private readonly IPlanCatalog _catalog;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly TimeProvider _timeProvider;

    public SwitchPlanDialog(IAccountSession session, IWords words, IAriaClient aria, IPlanCatalog catalog, IOptionsMonitor<SelfServiceOptions> selfService, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _catalog = catalog;
        _selfService = selfService;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog("switchPlanSteps", version: 1)
            .WithOptions<SwitchPlanOptions>()
            .Step(ChooseInstanceAsync)
            .Step(ChoosePlanAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(InstancePrompt));
        AddDialog(new ChoicePrompt(TargetPrompt));
    }

    private async Task<DialogTurnResult> ChooseInstanceAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var plans = await AccountPlans.ReadAsync(_aria, AccountOfDialog(step), cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(plans.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("plans", plans.Value.ToList());
        var masters = plans.Value.Where(plan => !plan.IsSupplemental && plan.IsChangeable).ToList();
        if (masters.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(SwitchPlanWords.NoPlan, locale), cancellationToken).ConfigureAwait(false);
        }
        // The buttons always carry the instance number, and a wrong answer hears the question again.
        return await PlanChoices.AskAsync(step, InstancePrompt, masters, PlanChoices.Numbered(masters), Words.Format(SwitchPlanWords.WhichInstance, locale), retry: null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ChoosePlanAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var plans = step.Values.Get<List<AccountPlan>>("plans")!;
        var masters = plans.Where(plan => !plan.IsSupplemental && plan.IsChangeable).ToList();
        var current = PlanChoices.Chosen(step, masters);
        step.Values.Set("current", current);

        var catalog = await _catalog.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(catalog.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var targets = catalog.Value
            .Where(plan => !plan.IsSupplemental && plan.PlanNo != current.PlanNo && (plan.Currency is null || current.Currency is null || plan.Currency == current.Currency))
            .ToList();
        step.Values.Set("targets", targets);

        var wanted = step.GetOptions<SwitchPlanOptions>()?.TargetPlanId;
        if (wanted is not null)
        {
            if (string.Equals(wanted, current.ClientPlanId, StringComparison.OrdinalIgnoreCase))
            {
                return await SayAndEndAsync(step, Words.Format(SwitchPlanWords.AlreadyOn, locale, new { plan = current.Name }), cancellationToken).ConfigureAwait(false);
            }
            var prefilled = targets.FindIndex(plan => string.Equals(plan.ClientPlanId, wanted, StringComparison.OrdinalIgnoreCase));
            if (prefilled >= 0)
            {
                return await step.NextAsync(prefilled, cancellationToken).ConfigureAwait(false);
            }
        }
        if (targets.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(SwitchPlanWords.NoOtherPlans, locale, new { current = current.Name }), cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(TargetPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(SwitchPlanWords.WhichPlan, locale, new { current = current.Name })),
            RetryPrompt = MessageFactory.Text(Words.Format(SwitchPlanWords.WhichPlanRetry, locale)),
            Choices = [.. targets.Select(plan => new Choice(plan.Name, [plan.ClientPlanId]))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var targets = step.Values.Get<List<CatalogPlan>>("targets")!;
        var target = targets[step.Result is FoundChoice choice ? choice.Index : step.ResultAs<int>()];
        var current = step.Values.Get<AccountPlan>("current")!;
        var plans = step.Values.Get<List<AccountPlan>>("plans")!;
        var rules = _selfService.CurrentValue.PlanChanges;
        var timing = PlanChangeTiming.For(rules, current.NextBillDate, _timeProvider);

        var request = new ReplaceAcctPlanMRequest
        {
            AcctNo = AccountOfDialog(step),
            PlanInstanceNo = current.PlanInstanceNo,
            NewPlanNo = target.PlanNo,
            PlanUnits = step.GetOptions<SwitchPlanOptions>()?.Units ?? current.Units,
            AssignmentDirective = timing.Directive,
            EffectiveDate = timing.EffectiveDate,
            ForceBillDateReset = rules.ForceBillDateReset,
        };
        var names = new { from = current.Name, to = target.Name };
        // No Expectation: the switch's write intent keeps the request itself, which SwitchPlanExpectation reads.
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = ReplacePlanChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(SwitchPlanWords.Title, locale, names),
            Description = Words.Format(SwitchPlanWords.Description, locale, names),
            DoneText = timing.Applies is { } later
                ? Words.Format(SwitchPlanWords.DoneLater, locale, new { plan = target.Name, date = WordsFormat.Date(later, locale) })
                : Words.Format(SwitchPlanWords.Done, locale, new { plan = target.Name }),
            Currency = current.Currency ?? target.Currency ?? "USD",
            Effective = timing.Describe(Words, locale),
            AddOns = plans.Where(plan => plan.IsSupplemental && plan.IsChangeable).GroupBy(plan => plan.PlanNo).ToDictionary(group => group.Key, group => group.First().Name),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.EndDialogAsync(step.Result, cancellationToken);
}
