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

namespace AriaBot.Plans.AddPlan;

/// <summary>What the customer already said ("add 2 extra storage"): the add-on and how many.</summary>
public sealed class AddPlanOptions
{
    /// <summary>The add-on's <c>client_plan_id</c>, from the visible catalog only.</summary>
    public string? PlanId { get; set; }

    public int? Units { get; set; }
}

/// <summary>
/// Add plan (<c>assign_acct_plan_m</c>): pick the main plan the add-on goes with (when there are several), pick an
/// add-on Aria links to it and the customer may see, say how many, then the shared preview-and-confirm turn.
/// Only supplemental plans are added: a second master plan is not offered (see README.md). Plans Aria or the operator
/// hides are never offered, and typing their name gets the same answer as a plan that does not exist.
/// </summary>
public sealed class AddPlanDialog : AccountDialog
{
    public const string DialogId = "addPlan";
    private const string ParentPrompt = "addPlanParent";
    private const string PlanPrompt = "addPlanPlan";
    private const string UnitsPrompt = "addPlanUnits";

    private readonly IAriaClient _aria;
    private readonly IPlanCatalog _catalog;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly TimeProvider _timeProvider;

    public AddPlanDialog(IAccountSession session, IWords words, IAriaClient aria, IPlanCatalog catalog, IOptionsMonitor<SelfServiceOptions> selfService, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _catalog = catalog;
        _selfService = selfService;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog("addPlanSteps", version: 1)
            .WithOptions<AddPlanOptions>()
            .Step(ChooseParentAsync)
            .Step(ChoosePlanAsync)
            .Step(AskUnitsAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(ParentPrompt));
        AddDialog(new ChoicePrompt(PlanPrompt));
        AddDialog(new NumberPrompt<int>(UnitsPrompt, AtLeastOneAsync));
    }

    private async Task<DialogTurnResult> ChooseParentAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var plans = await AccountPlans.ReadAsync(_aria, AccountOfDialog(step), cancellationToken).ConfigureAwait(false);
        if (!plans.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(plans.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("plans", plans.Value.ToList());
        var masters = Masters(plans.Value);
        if (masters.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(AddPlanWords.NoMainPlan, locale), cancellationToken).ConfigureAwait(false);
        }
        return await PlanChoices.AskAsync(step, ParentPrompt, masters, Words.Format(AddPlanWords.WhichParent, locale), Words.Format(AddPlanWords.WhichParentRetry, locale), cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ChoosePlanAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var plans = step.Values.Get<List<AccountPlan>>("plans")!;
        var masters = Masters(plans);
        var parent = PlanChoices.Chosen(step, masters);
        step.Values.Set("parent", parent);

        var catalog = await _catalog.VisiblePlansAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(catalog.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        // Aria says which add-ons may sit under this instance; the visible catalog says which the customer may see.
        var available = await _aria.GetAvailPlansForAcctAsync(new GetAvailPlansForAcctMRequest { AcctNo = AccountOfDialog(step), PlanInstanceNo = parent.PlanInstanceNo }, cancellationToken).ConfigureAwait(false);
        if (!available.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(available.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var linked = (available.Value.AllClientAvailPlans ?? [])
            .Where(plan => plan.PlanNo is not null && plan.DisplayInd != 0)
            .Select(plan => catalog.Value.FirstOrDefault(visible => visible.PlanNo == plan.PlanNo && visible.IsSupplemental))
            .OfType<CatalogPlan>()
            .Where(plan => plan.Currency is null || parent.Currency is null || string.Equals(plan.Currency, parent.Currency, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(plan => plan.PlanNo)
            .ToList();
        // One instance of an add-on per parent: for more of it, the customer changes its units instead.
        var present = plans.Where(plan => plan.ParentPlanInstanceNo == parent.PlanInstanceNo && plan.StatusCd is not (-2 or -3)).Select(plan => plan.PlanNo).ToHashSet();
        var offer = linked.Where(plan => !present.Contains(plan.PlanNo)).ToList();
        step.Values.Set("offer", offer);

        if (step.GetOptions<AddPlanOptions>()?.PlanId is { } wanted
            && catalog.Value.FirstOrDefault(plan => string.Equals(plan.ClientPlanId, wanted, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            if (offer.Exists(plan => plan.PlanNo == named.PlanNo))
            {
                return await step.NextAsync(named.PlanNo, cancellationToken).ConfigureAwait(false);
            }
            if (present.Contains(named.PlanNo))
            {
                return await SayAndEndAsync(step, Words.Format(AddPlanWords.AlreadyHave, locale, new { plan = named.Name }), cancellationToken).ConfigureAwait(false);
            }
            if (!named.IsSupplemental)
            {
                return await SayAndEndAsync(step, Words.Format(AddPlanWords.IsMainPlan, locale, new { plan = named.Name }), cancellationToken).ConfigureAwait(false);
            }
            await step.Context.SendActivityAsync(Words.Format(AddPlanWords.NotWithParent, locale, new { plan = named.Name, parent = parent.Name }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        if (offer.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(AddPlanWords.NoneAvailable, locale, new { parent = parent.Name }), cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(PlanPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(AddPlanWords.WhichPlan, locale, new { parent = parent.Name })),
            RetryPrompt = MessageFactory.Text(Words.Format(AddPlanWords.WhichPlanRetry, locale)),
            Choices = PlanChoices.For(offer),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AskUnitsAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var offer = step.Values.Get<List<CatalogPlan>>("offer")!;
        var plan = step.Result is FoundChoice choice ? offer[choice.Index] : offer.First(candidate => candidate.PlanNo == step.ResultAs<long>());
        step.Values.Set("plan", plan);
        if (step.GetOptions<AddPlanOptions>()?.Units is >= 1 and var units)
        {
            return await step.NextAsync(units, cancellationToken).ConfigureAwait(false);
        }
        // Aria's catalog does not say which add-ons are sold per unit, so the question is always asked, 1 first.
        return await step.PromptAsync(UnitsPrompt, new PromptOptions
        {
            Prompt = MessageFactory.SuggestedActions(["1", "2", "3"], Words.Format(AddPlanWords.HowMany, locale, new { plan = plan.Name })),
            RetryPrompt = MessageFactory.SuggestedActions(["1", "2", "3"], Words.Format(AddPlanWords.HowManyRetry, locale)),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var units = step.ResultAs<int>();
        var plan = step.Values.Get<CatalogPlan>("plan")!;
        var parent = step.Values.Get<AccountPlan>("parent")!;
        var plans = step.Values.Get<List<AccountPlan>>("plans")!;
        var timing = PlanChangeTiming.For(_selfService.CurrentValue.PlanChanges, parent.NextBillDate, _timeProvider);

        var request = new AssignAcctPlanMRequest
        {
            AcctNo = AccountOfDialog(step),
            NewPlanNo = plan.PlanNo,
            ParentPlanInstanceNo = parent.PlanInstanceNo,
            PlanUnits = units,
            AssignmentDirective = timing.Directive,
            EffectiveDate = timing.EffectiveDate,
        };
        var names = new { plan = plan.Name, units = WordsFormat.Number(units, locale) };
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = AssignPlanChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(AddPlanWords.Title, locale, names),
            Description = Words.Format(AddPlanWords.Description, locale, names),
            DoneText = timing.Applies is { } later
                ? Words.Format(AddPlanWords.DoneLater, locale, new { plan = plan.Name, date = WordsFormat.Date(later, locale) })
                : Words.Format(AddPlanWords.Done, locale, new { plan = plan.Name }),
            Currency = parent.Currency ?? plan.Currency ?? "USD",
            Effective = timing.Describe(Words, locale),
            Expectation = new AddPlanExpectation(plan.PlanNo, parent.PlanInstanceNo, [.. plans.Select(instance => instance.PlanInstanceNo)], timing.Directive).ToJson(),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.EndDialogAsync(step.Result, cancellationToken);

    /// <summary>The main plans an add-on can go under: active ones only.</summary>
    private static List<AccountPlan> Masters(IEnumerable<AccountPlan> plans) => [.. plans.Where(plan => !plan.IsSupplemental && plan.IsChangeable)];

    private static Task<bool> AtLeastOneAsync(PromptValidatorContext<int> prompt, CancellationToken cancellationToken) =>
        Task.FromResult(prompt.Recognized.Succeeded && prompt.Recognized.Value >= 1);
}
