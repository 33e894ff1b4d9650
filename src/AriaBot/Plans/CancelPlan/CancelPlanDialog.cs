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

namespace AriaBot.Plans.CancelPlan;

/// <summary>What the customer already said ("cancel my priority support"): the plan.</summary>
public sealed class CancelPlanOptions
{
    /// <summary>The plan's <c>client_plan_id</c>, from the visible catalog only.</summary>
    public string? PlanId { get; set; }
}

/// <summary>
/// Cancel plan (<c>cancel_acct_plan_m</c>): pick the plan instance among the customer's active, visible plans (main
/// plans and add-ons), then the shared preview-and-confirm turn, whose card also says what else ends: the plans under
/// it (Aria cancels them with it) and, for the last active main plan, that the account will be deactivated.
/// </summary>
public sealed class CancelPlanDialog : AccountDialog
{
    public const string DialogId = "cancelPlan";
    private const string InstancePrompt = "cancelPlanInstance";

    private readonly IAriaClient _aria;
    private readonly IPlanCatalog _catalog;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly TimeProvider _timeProvider;

    public CancelPlanDialog(IAccountSession session, IWords words, IAriaClient aria, IPlanCatalog catalog, IOptionsMonitor<SelfServiceOptions> selfService, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _catalog = catalog;
        _selfService = selfService;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog("cancelPlanSteps", version: 1)
            .WithOptions<CancelPlanOptions>()
            .Step(ChooseInstanceAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(InstancePrompt));
    }

    private async Task<DialogTurnResult> ChooseInstanceAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var read = await InstanceOffer.ReadAsync(_aria, _catalog, AccountOfDialog(step), step.GetOptions<CancelPlanOptions>()?.PlanId, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(read.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("plans", read.Value!.Plans.ToList());
        var offer = read.Value!.Offer.ToList();
        if (offer.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(CancelPlanWords.NothingToCancel, locale), cancellationToken).ConfigureAwait(false);
        }
        if (read.Value.NamedButAbsent is { } named)
        {
            await step.Context.SendActivityAsync(Words.Format(CancelPlanWords.NotOnAccount, locale, new { plan = named.Name }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("offer", offer);
        // One plan that fits is not asked about: the preview card that follows is the confirmation, nothing is cancelled without a yes to it.
        return await PlanChoices.AskAsync(step, InstancePrompt, offer, Words.Format(CancelPlanWords.WhichPlan, locale), Words.Format(CancelPlanWords.WhichPlanRetry, locale), cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var offer = step.Values.Get<List<AccountPlan>>("offer")!;
        var instance = PlanChoices.Chosen(step, offer);
        var plans = step.Values.Get<List<AccountPlan>>("plans")!;
        var timing = PlanChangeTiming.For(_selfService.CurrentValue.PlanChanges, instance.NextBillDate, _timeProvider);

        var request = new CancelAcctPlanMRequest
        {
            AcctNo = AccountOfDialog(step),
            PlanInstanceNo = instance.PlanInstanceNo,
            AssignmentDirective = timing.Directive,
            EffectiveDate = timing.EffectiveDate,
        };
        var names = new { plan = instance.Name };
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = CancelPlanChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(CancelPlanWords.Title, locale, names),
            Description = Words.Format(CancelPlanWords.Description, locale, names),
            DoneText = timing.Applies is { } later
                ? Words.Format(CancelPlanWords.DoneLater, locale, new { plan = instance.Name, date = WordsFormat.Date(later, locale) })
                : Words.Format(CancelPlanWords.Done, locale, names),
            Currency = instance.Currency ?? "USD",
            Effective = timing.Describe(Words, locale),
            Consequences = Consequences(instance, plans, locale),
            Expectation = new CancelPlanExpectation(instance.PlanInstanceNo, timing.Directive).ToJson(),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.EndDialogAsync(step.Result, cancellationToken);

    /// <summary>
    /// What else ends: Aria cancels every plan under the instance with it, by name here; and once no
    /// main plan is active the account deactivates after the client's "Days Before Deactivation".
    /// </summary>
    private List<string> Consequences(AccountPlan instance, List<AccountPlan> plans, string? locale)
    {
        List<string> consequences = [.. Descendants(instance, plans)
            .Where(child => child.StatusCd is not (-3 or -2))
            .Select(child => Words.Format(CancelPlanWords.ChildEnds, locale, new { name = child.Name }))];
        var otherActiveMaster = plans.Exists(plan => !plan.IsSupplemental && plan.PlanInstanceNo != instance.PlanInstanceNo && plan.StatusCd is not (-3 or -2 or -1 or 0 or 2 or 3));
        if (!instance.IsSupplemental && !otherActiveMaster)
        {
            consequences.Add(Words.Format(CancelPlanWords.LastMainPlan, locale));
        }
        return consequences;
    }

    private static IEnumerable<AccountPlan> Descendants(AccountPlan root, List<AccountPlan> plans)
    {
        foreach (var child in plans.Where(plan => plan.ParentPlanInstanceNo == root.PlanInstanceNo && plan.PlanInstanceNo != root.PlanInstanceNo))
        {
            yield return child;
            foreach (var grandchild in Descendants(child, plans))
            {
                yield return grandchild;
            }
        }
    }
}
