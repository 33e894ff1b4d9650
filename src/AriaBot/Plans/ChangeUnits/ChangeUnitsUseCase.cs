using AriaBot.Catalog;
using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Plans.ChangeUnits;

/// <summary>Change units as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class ChangeUnitsUseCase
{
    /// <summary>Asked for by <see cref="Intent.ChangeUnits"/>, switched off with <c>SelfService:Sections:Plans</c>.</summary>
    /// <remarks>Pre-filled from free text: "change my storage to 3 units": the plan, and a number that may be the new total or how many more.</remarks>
    public static UseCase<ChangeUnitsDialog> Declaration { get; } = new(
        Intent.ChangeUnits,
        sections => sections.Plans,
        understanding => new ChangeUnitsOptions
        {
            PlanId = VisiblePlansCatalog.PlanIdIn(understanding),
            Mentioned = understanding.Entities.Quantity,
        });
}
