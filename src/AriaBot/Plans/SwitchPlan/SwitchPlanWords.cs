using AriaBot.Language;

namespace AriaBot.Plans.SwitchPlan;

/// <summary>What the switch-plan dialog says; wordings in <c>dialogs/SwitchPlan/</c>.</summary>
[WordKeys]
public static class SwitchPlanWords
{
    public static readonly WordKey NoPlan = new("switchPlan.noPlan");
    public static readonly WordKey WhichInstance = new("switchPlan.whichInstance");
    public static readonly WordKey WhichPlan = new("switchPlan.whichPlan", "current");
    public static readonly WordKey WhichPlanRetry = new("switchPlan.whichPlanRetry");
    public static readonly WordKey NoOtherPlans = new("switchPlan.noOtherPlans", "current");
    public static readonly WordKey AlreadyOn = new("switchPlan.alreadyOn", "plan");
    public static readonly WordKey Title = new("switchPlan.title", "from", "to");
    public static readonly WordKey Description = new("switchPlan.description", "from", "to");
    public static readonly WordKey Done = new("switchPlan.done", "plan");
    public static readonly WordKey DoneLater = new("switchPlan.doneLater", "plan", "date");
    public static readonly WordKey AddOnEnds = new("switchPlan.addOnEnds", "name");
}
