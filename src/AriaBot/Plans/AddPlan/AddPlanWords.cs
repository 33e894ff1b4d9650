using AriaBot.Language;

namespace AriaBot.Plans.AddPlan;

/// <summary>What the add-plan dialog says; wordings in <c>dialogs/AddPlan/</c>.</summary>
[WordKeys]
public static class AddPlanWords
{
    public static readonly WordKey NoMainPlan = new("addPlan.noMainPlan");
    public static readonly WordKey WhichParent = new("addPlan.whichParent");
    public static readonly WordKey WhichParentRetry = new("addPlan.whichParentRetry");
    public static readonly WordKey WhichPlan = new("addPlan.whichPlan", "parent");
    public static readonly WordKey WhichPlanRetry = new("addPlan.whichPlanRetry");
    public static readonly WordKey NoneAvailable = new("addPlan.noneAvailable", "parent");
    public static readonly WordKey AlreadyHave = new("addPlan.alreadyHave", "plan");
    public static readonly WordKey NotWithParent = new("addPlan.notWithParent", "plan", "parent");

    /// <summary>The customer named a master plan: adding a second one is not offered (see the slice's README).</summary>
    public static readonly WordKey IsMainPlan = new("addPlan.isMainPlan", "plan");

    public static readonly WordKey HowMany = new("addPlan.howMany", "plan");
    public static readonly WordKey HowManyRetry = new("addPlan.howManyRetry");
    public static readonly WordKey Title = new("addPlan.title", "plan", "units");
    public static readonly WordKey Description = new("addPlan.description", "plan", "units");
    public static readonly WordKey Done = new("addPlan.done", "plan");
    public static readonly WordKey DoneLater = new("addPlan.doneLater", "plan", "date");
}
