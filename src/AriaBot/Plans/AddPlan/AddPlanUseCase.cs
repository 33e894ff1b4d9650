using AriaBot.Catalog;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Plans.AddPlan;

/// <summary>Add plan as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class AddPlanUseCase
{
    /// <summary>Asked for by <see cref="Intent.AddPlan"/>, switched off with <c>SelfService:Sections:Plans</c>.</summary>
    /// <remarks>Pre-filled from free text: "add 2 extra storage": the add-on (visible catalog only) and how many.</remarks>
    public static UseCase<AddPlanDialog> Declaration { get; } = new(
        Intent.AddPlan,
        sections => sections.Plans,
        understanding => new AddPlanOptions
        {
            PlanId = VisiblePlansCatalog.PlanIdIn(understanding),
            Units = understanding.Entities.Quantity,
        });
}
