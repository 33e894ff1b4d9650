using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Plans.AddPlan;

public sealed class AddPlanUseCase(AddPlanDialog dialog) : IUseCase
{
    public Intent Intent => Intent.AddPlan;

    public bool IsEnabled(SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Plans;
    }

    public Dialog Dialog => dialog;

    /// <summary>"add 2 extra storage": the add-on (visible catalogue only) and how many.</summary>
    public object? OptionsFrom(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return new AddPlanOptions
        {
            PlanId = understanding.CatalogueItem?.Item is { Kind: VisiblePlansCatalog.PlanKind } plan ? plan.Id : null,
            Units = understanding.Entities.Quantity,
        };
    }
}
