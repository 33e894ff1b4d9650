using AriaBot.Catalog;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace AriaBot.Plans;

/// <summary>Plan instances as choices for a prompt: by plan name, also matched by the plan's <c>client_plan_id</c>.</summary>
public static class PlanChoices
{
    public static List<Choice> For(IReadOnlyList<AccountPlan> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        // Two instances of one plan (under two masters) would be two equal buttons: the instance number tells them apart.
        var repeated = instances.GroupBy(plan => plan.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1).Select(group => group.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. instances.Select(plan => new Choice(
            repeated.Contains(plan.Name) ? $"{plan.Name} #{plan.PlanInstanceNo}" : plan.Name,
            Synonyms(plan.ClientPlanId)))];
    }

    /// <summary>Plan instances as choices that always carry the instance number ("Standard #1001"), matched by that text only.</summary>
    public static List<Choice> Numbered(IReadOnlyList<AccountPlan> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        return [.. instances.Select(plan => new Choice($"{plan.Name} #{plan.PlanInstanceNo}"))];
    }

    /// <summary>Catalog plans as choices (names are unique in a catalog).</summary>
    public static List<Choice> For(IReadOnlyList<CatalogPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        return [.. plans.Select(plan => new Choice(plan.Name, Synonyms(plan.ClientPlanId)))];
    }

    private static IReadOnlyList<string> Synonyms(string? clientPlanId) =>
        clientPlanId is { Length: > 0 } id ? [id, id.Replace('_', ' ')] : [];

    /// <summary>
    /// Asks which of <paramref name="offer"/> the customer means, or skips the question when only one fits; either way
    /// the next step reads the answer with <see cref="Chosen"/>.
    /// </summary>
    public static Task<DialogTurnResult> AskAsync(WaterfallStepContext step, string promptId, IReadOnlyList<AccountPlan> offer, string question, string retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return AskAsync(step, promptId, offer, For(offer), question, retry, cancellationToken);
    }

    /// <summary>
    /// As above with the buttons given (<paramref name="choices"/>, one per instance of <paramref name="offer"/>, in its
    /// order); without <paramref name="retry"/> the prompt repeats its question.
    /// </summary>
    public static Task<DialogTurnResult> AskAsync(WaterfallStepContext step, string promptId, IReadOnlyList<AccountPlan> offer, List<Choice> choices, string question, string? retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(offer);
        return offer.Count == 1
            ? step.NextAsync(offer[0].PlanInstanceNo, cancellationToken)
            : step.PromptAsync(promptId, new PromptOptions
            {
                Prompt = MessageFactory.Text(question),
                RetryPrompt = retry is null ? null : MessageFactory.Text(retry),
                Choices = choices,
            }, cancellationToken);
    }

    /// <summary>The instance the previous step settled on: the customer's choice among <paramref name="offer"/>, or the only one.</summary>
    public static AccountPlan Chosen(WaterfallStepContext step, IReadOnlyList<AccountPlan> offer)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(offer);
        return step.Result is FoundChoice choice ? offer[choice.Index] : offer.First(plan => plan.PlanInstanceNo == step.ResultAs<long>());
    }
}
