using System.Globalization;
using Aria.Client;
using Aria.Client.Models;

namespace AriaBot.Plans;

/// <summary>One plan instance on the account, as <c>get_acct_plans_m</c> reports it.</summary>
public sealed record AccountPlan(
    long PlanInstanceNo,
    long PlanNo,
    string? ClientPlanId,
    string Name,
    decimal Units,
    bool IsSupplemental,
    long StatusCd,
    long? ParentPlanInstanceNo,
    DateOnly? NextBillDate,
    string? Currency)
{
    /// <summary>Statuses a customer can change (active, trial, active non-billable); not cancelled, suspended or pending.</summary>
    public bool IsChangeable => StatusCd is 1 or 41 or 61;
}

public static class AccountPlans
{
    /// <summary>The account's plan instances; only ever called with the account Aria validated this turn.</summary>
    public static async Task<AriaResult<IReadOnlyList<AccountPlan>>> ReadAsync(IAriaClient aria, long accountNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        var read = await aria.GetAcctPlansAsync(new GetAcctPlansMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return AriaResult<IReadOnlyList<AccountPlan>>.Failure(read.Error);
        }
        IReadOnlyList<AccountPlan> plans = [.. (read.Value.AcctPlansM ?? [])
            .Where(plan => plan.PlanInstanceNo is not null && plan.PlanNo is not null)
            .Select(plan => new AccountPlan(
                plan.PlanInstanceNo!.Value,
                plan.PlanNo!.Value,
                plan.ClientPlanId,
                plan.PlanName ?? plan.ClientPlanId ?? string.Empty,
                plan.PlanUnits ?? 1,
                plan.SuppPlanInd == 1,
                plan.PlanInstanceStatusCd ?? 0,
                plan.ParentPlanInstanceNo,
                DateOnly.TryParseExact(plan.NextBillDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var next) ? next : null,
                plan.CurrencyCd))];
        return AriaResult<IReadOnlyList<AccountPlan>>.Success(plans);
    }
}
