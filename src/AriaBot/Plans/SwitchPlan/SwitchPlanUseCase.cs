using AriaBot.Catalog;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Plans.SwitchPlan;

/// <summary>Switch plan as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class SwitchPlanUseCase
{
    /// <summary>Asked for by <see cref="Intent.SwitchPlan"/>, switched off with <c>SelfService:Sections:Plans</c>.</summary>
    /// <remarks>Pre-filled from free text: "switch me to premium with 3 seats": the target plan (visible catalog only) and the units.</remarks>
    public static UseCase<SwitchPlanDialog> Declaration { get; } = new(
        Intent.SwitchPlan,
        sections => sections.Plans,
        understanding => new SwitchPlanOptions
        {
            TargetPlanId = VisiblePlansCatalog.PlanIdIn(understanding),
            Units = understanding.Entities.Quantity,
        });
}
