using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Plans.CancelPlan;

public sealed class CancelPlanUseCase(CancelPlanDialog dialog) : IUseCase
{
    public Intent Intent => Intent.CancelPlan;

    public bool IsEnabled(SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Plans;
    }

    public Dialog Dialog => dialog;

    /// <summary>"cancel my priority support": the plan (visible catalogue only).</summary>
    public object? OptionsFrom(UnderstandingResult understanding)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        return new CancelPlanOptions
        {
            PlanId = understanding.CatalogueItem?.Item is { Kind: VisiblePlansCatalog.PlanKind } plan ? plan.Id : null,
        };
    }
}
