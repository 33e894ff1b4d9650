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

namespace AriaBot.Plans.ChangeUnits;

/// <summary>What the customer already said ("change my storage to 3 units"): the plan, and a number.</summary>
public sealed class ChangeUnitsOptions
{
    /// <summary>The plan's <c>client_plan_id</c>, from the visible catalog only.</summary>
    public string? PlanId { get; set; }

    /// <summary>A number the customer mentioned: the new total or how many more — the question settles which.</summary>
    public int? Mentioned { get; set; }
}

/// <summary>What the units question needs to judge an answer (saved with the prompt).</summary>
public sealed record UnitsQuestion(string Plan, decimal Current, int? Mentioned);

/// <summary>
/// Change units (<c>update_acct_plan_m</c> with <c>plan_units</c>): pick the plan instance among the customer's active,
/// visible plans (main plans and add-ons), say the new total, then the shared preview-and-confirm turn. The question
/// always asks for the total ("you have 3; how many in total?"), since "3 more" and "set to 3" read alike.
/// </summary>
public sealed class ChangeUnitsDialog : AccountDialog
{
    public const string DialogId = "changeUnits";
    private const string InstancePrompt = "changeUnitsInstance";
    private const string UnitsPrompt = "changeUnitsTotal";

    private readonly IAriaClient _aria;
    private readonly IPlanCatalog _catalog;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly TimeProvider _timeProvider;

    public ChangeUnitsDialog(IAccountSession session, IWords words, IAriaClient aria, IPlanCatalog catalog, IOptionsMonitor<SelfServiceOptions> selfService, TimeProvider timeProvider)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _catalog = catalog;
        _selfService = selfService;
        _timeProvider = timeProvider;
        AddDialog(new WaterfallDialog("changeUnitsSteps", version: 1)
            .WithOptions<ChangeUnitsOptions>()
            .Step(ChooseInstanceAsync)
            .Step(AskTotalAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(InstancePrompt));
        AddDialog(new NumberPrompt<int>(UnitsPrompt, ValidTotalAsync));
    }

    private async Task<DialogTurnResult> ChooseInstanceAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        // Aria does not say which plans are sold per unit: every active instance of a plan the customer may see counts.
        var read = await InstanceOffer.ReadAsync(_aria, _catalog, AccountOfDialog(step), step.GetOptions<ChangeUnitsOptions>()?.PlanId, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return await SayAndEndAsync(step, ChangeErrors.Describe(read.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var offer = read.Value!.Offer.ToList();
        if (offer.Count == 0)
        {
            return await SayAndEndAsync(step, Words.Format(ChangeUnitsWords.NothingToChange, locale), cancellationToken).ConfigureAwait(false);
        }
        if (read.Value.NamedButAbsent is { } named)
        {
            await step.Context.SendActivityAsync(Words.Format(ChangeUnitsWords.NotOnAccount, locale, new { plan = named.Name }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set("offer", offer);
        return await PlanChoices.AskAsync(step, InstancePrompt, offer, Words.Format(ChangeUnitsWords.WhichPlan, locale), Words.Format(ChangeUnitsWords.WhichPlanRetry, locale), cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AskTotalAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var locale = step.Context.Activity.Locale;
        var offer = step.Values.Get<List<AccountPlan>>("offer")!;
        var instance = PlanChoices.Chosen(step, offer);
        step.Values.Set("instance", instance);
        var question = new UnitsQuestion(instance.Name, instance.Units, step.GetOptions<ChangeUnitsOptions>()?.Mentioned);
        return await step.PromptAsync(UnitsPrompt, new PromptOptions
        {
            Prompt = Ask(question, ChangeUnitsWords.HowMany, locale),
            RetryPrompt = Ask(question, ChangeUnitsWords.HowManyRetry, locale),
            Validations = question,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var total = step.ResultAs<int>();
        var instance = step.Values.Get<AccountPlan>("instance")!;
        var timing = PlanChangeTiming.For(_selfService.CurrentValue.PlanChanges, instance.NextBillDate, _timeProvider);
        var request = new UpdateAcctPlanMRequest
        {
            AcctNo = AccountOfDialog(step),
            PlanInstanceNo = instance.PlanInstanceNo,
            PlanUnits = total,
            AssignmentDirective = timing.Directive,
            EffectiveDate = timing.EffectiveDate,
        };
        var names = new { plan = instance.Name, from = WordsFormat.Number(instance.Units, locale), to = WordsFormat.Number(total, locale) };
        var units = WordsFormat.Number(total, locale);
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = UpdateUnitsChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(ChangeUnitsWords.Title, locale, names),
            Description = Words.Format(ChangeUnitsWords.Description, locale, names),
            DoneText = timing.Applies is { } later
                ? Words.Format(ChangeUnitsWords.DoneLater, locale, new { plan = instance.Name, units, date = WordsFormat.Date(later, locale) })
                : Words.Format(ChangeUnitsWords.Done, locale, new { plan = instance.Name, units }),
            Currency = instance.Currency ?? "USD",
            Effective = timing.Describe(Words, locale),
            Expectation = new ChangeUnitsExpectation(instance.PlanInstanceNo, instance.Units, total, timing.Directive).ToJson(),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.EndDialogAsync(step.Result, cancellationToken);

    /// <summary>A whole number of at least 1 that differs from what the customer has; a wrong one is explained.</summary>
    private Task<bool> ValidTotalAsync(PromptValidatorContext<int> prompt, CancellationToken cancellationToken)
    {
        var question = prompt.Options.GetValidations<UnitsQuestion>()!;
        var locale = prompt.Context.Activity.Locale;
        if (!prompt.Recognized.Succeeded)
        {
            return Task.FromResult(false);
        }
        if (prompt.Recognized.Value < 1)
        {
            prompt.RetryPrompt = Ask(question, ChangeUnitsWords.AtLeastOne, locale);
            return Task.FromResult(false);
        }
        if (prompt.Recognized.Value == question.Current)
        {
            prompt.RetryPrompt = Ask(question, ChangeUnitsWords.Same, locale);
            return Task.FromResult(false);
        }
        return Task.FromResult(true);
    }

    /// <summary>
    /// The question, with the number the customer mentioned offered both ways: as the new total, and as that many
    /// more — so "3" becomes an explicit choice, and the preview then shows the total to confirm.
    /// </summary>
    private Activity Ask(UnitsQuestion question, WordKey key, string? locale)
    {
        var current = WordsFormat.Number(question.Current, locale);
        var text = key == ChangeUnitsWords.HowMany ? Words.Format(key, locale, new { plan = question.Plan, units = current })
            : key == ChangeUnitsWords.Same ? Words.Format(key, locale, new { units = current })
            : key == ChangeUnitsWords.AtLeastOne ? Words.Format(key, locale, new { plan = question.Plan })
            : Words.Format(key, locale);
        List<CardAction> buttons = [];
        if (question.Mentioned is >= 1 and var mentioned)
        {
            if (mentioned != question.Current)
            {
                var total = mentioned.ToString(System.Globalization.CultureInfo.InvariantCulture);
                buttons.Add(CardAction.ImBack(Words.Format(ChangeUnitsWords.SetTo, locale, new { units = WordsFormat.Number(mentioned, locale) }), total));
            }
            var more = question.Current + mentioned;
            buttons.Add(CardAction.ImBack(
                Words.Format(ChangeUnitsWords.AddMore, locale, new { units = WordsFormat.Number(more, locale), more = WordsFormat.Number(mentioned, locale) }),
                more.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return buttons.Count > 0 ? MessageFactory.SuggestedActions(buttons, text) : MessageFactory.Text(text);
    }
}
