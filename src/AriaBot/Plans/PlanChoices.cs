using AriaBot.Catalog;
using BotRuntime.Recognition;

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

    /// <summary>Catalogue plans as choices (names are unique in a catalogue).</summary>
    public static List<Choice> For(IReadOnlyList<CatalogPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        return [.. plans.Select(plan => new Choice(plan.Name, Synonyms(plan.ClientPlanId)))];
    }

    private static IReadOnlyList<string> Synonyms(string? clientPlanId) =>
        clientPlanId is { Length: > 0 } id ? [id, id.Replace('_', ' ')] : [];
}
