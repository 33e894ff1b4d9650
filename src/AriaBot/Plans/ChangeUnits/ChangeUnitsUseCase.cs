using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Plans.ChangeUnits;

public sealed class ChangeUnitsUseCase(ChangeUnitsDialog dialog) : IUseCase
{
    public Intent Intent => Intent.ChangeUnits;

    public bool IsEnabled(SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Plans;
    }

    public Dialog Dialog => dialog;

    /// <summary>"change my storage to 3 units": the plan, and a number that may be the new total or how many more.</summary>
    public object? OptionsFrom(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return new ChangeUnitsOptions
        {
            PlanId = understanding.CatalogueItem?.Item is { Kind: VisiblePlansCatalog.PlanKind } plan ? plan.Id : null,
            Mentioned = understanding.Entities.Quantity,
        };
    }
}
