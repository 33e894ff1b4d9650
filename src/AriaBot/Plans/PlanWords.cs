using AriaBot.Language;

namespace AriaBot.Plans;

/// <summary>What switch plan, add plan, change units and cancel plan say alike; wordings in <c>dialogs/Plans/</c>.</summary>
[WordKeys]
public static class PlanWords
{
    public static readonly WordKey EffectiveNow = new("plans.effectiveNow");
    public static readonly WordKey EffectiveOn = new("plans.effectiveOn", "date");

    /// <summary>Aria's <c>expectd_mthly_recurring_cost</c>, under the preview's lines.</summary>
    public static readonly WordKey MonthlyAfter = new("plans.monthlyAfter", "amount");
}
