using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Plans.SwitchPlan;

public sealed class SwitchPlanUseCase(SwitchPlanDialog dialog) : IUseCase
{
    public Intent Intent => Intent.SwitchPlan;

    public bool IsEnabled(SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Plans;
    }

    public Dialog Dialog => dialog;

    public object? OptionsFrom(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return new SwitchPlanOptions
        {
            TargetPlanId = understanding.CatalogueItem?.Item is { Kind: VisiblePlansCatalog.PlanKind } plan ? plan.Id : null,
            Units = understanding.Entities.Quantity,
        };
    }
}
