using AriaBot.Language;

namespace AriaBot.Plans.ChangeUnits;

/// <summary>What the change-units dialog says; wordings in <c>dialogs/ChangeUnits/</c>.</summary>
[WordKeys]
public static class ChangeUnitsWords
{
    public static readonly WordKey NothingToChange = new("changeUnits.nothingToChange");
    public static readonly WordKey WhichPlan = new("changeUnits.whichPlan");
    public static readonly WordKey WhichPlanRetry = new("changeUnits.whichPlanRetry");
    public static readonly WordKey NotOnAccount = new("changeUnits.notOnAccount", "plan");

    /// <summary>Always asks for the total: "3" after "add 3 more" and after "set it to 3" look the same to the understander.</summary>
    public static readonly WordKey HowMany = new("changeUnits.howMany", "plan", "units");

    /// <summary>Button: the number the customer mentioned, read as the new total.</summary>
    public static readonly WordKey SetTo = new("changeUnits.setTo", "units");

    /// <summary>Button: the number the customer mentioned, read as that many more.</summary>
    public static readonly WordKey AddMore = new("changeUnits.addMore", "units", "more");

    public static readonly WordKey HowManyRetry = new("changeUnits.howManyRetry");
    public static readonly WordKey Same = new("changeUnits.same", "units");
    public static readonly WordKey AtLeastOne = new("changeUnits.atLeastOne", "plan");
    public static readonly WordKey Title = new("changeUnits.title", "plan", "from", "to");
    public static readonly WordKey Description = new("changeUnits.description", "plan", "from", "to");
    public static readonly WordKey Done = new("changeUnits.done", "plan", "units");
    public static readonly WordKey DoneLater = new("changeUnits.doneLater", "plan", "units", "date");
}
