using AriaBot.Catalog;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Plans.CancelPlan;

/// <summary>Cancel plan as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class CancelPlanUseCase
{
    /// <summary>Asked for by <see cref="Intent.CancelPlan"/>, switched off with <c>SelfService:Sections:Plans</c>.</summary>
    /// <remarks>Pre-filled from free text: "cancel my priority support": the plan (visible catalog only).</remarks>
    public static UseCase<CancelPlanDialog> Declaration { get; } = new(
        Intent.CancelPlan,
        sections => sections.Plans,
        understanding => new CancelPlanOptions
        {
            PlanId = VisiblePlansCatalog.PlanIdIn(understanding),
        });
}
