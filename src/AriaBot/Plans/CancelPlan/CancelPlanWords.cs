using AriaBot.Language;

namespace AriaBot.Plans.CancelPlan;

/// <summary>What the cancel-plan dialog says; wordings in <c>dialogs/CancelPlan/</c>.</summary>
[WordKeys]
public static class CancelPlanWords
{
    public static readonly WordKey NothingToCancel = new("cancelPlan.nothingToCancel");
    public static readonly WordKey WhichPlan = new("cancelPlan.whichPlan");
    public static readonly WordKey WhichPlanRetry = new("cancelPlan.whichPlanRetry");
    public static readonly WordKey NotOnAccount = new("cancelPlan.notOnAccount", "plan");
    public static readonly WordKey Title = new("cancelPlan.title", "plan");
    public static readonly WordKey Description = new("cancelPlan.description", "plan");

    /// <summary>A plan under the one cancelled: Aria cancels it too (it stays on the account, unusable).</summary>
    public static readonly WordKey ChildEnds = new("cancelPlan.childEnds", "name");

    /// <summary>The last active main plan: Aria deactivates an account without one after the client's set number of days.</summary>
    public static readonly WordKey LastMainPlan = new("cancelPlan.lastMainPlan");

    public static readonly WordKey Done = new("cancelPlan.done", "plan");
    public static readonly WordKey DoneLater = new("cancelPlan.doneLater", "plan", "date");
}
