using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Billing;

/// <summary>
/// A plan change worked out before anything changes: the invoice lines it produces and the
/// mutation that applies it. A preview (<c>do_write=false</c>) returns <see cref="Lines"/> and drops
/// <see cref="Apply"/>; the write runs the same computation and then <see cref="Apply"/>, so at the
/// same simulated time both show the same numbers.
/// </summary>
internal sealed record ChangeOutcome(List<InvoiceLine> Lines, Action Apply, PlanInstance Instance, Plan? ResultPlan, RateSchedule? ResultSchedule, decimal ResultUnits);

/// <summary>
/// Proration: factor = days left in the current period ÷ days in the
/// period, counted from the proration start date to the next anniversary. A switch credits the old
/// plan for the days left (negative line) and charges the new plan for them (positive line); the
/// result is their net. Recurring fees are billed in advance, so the old plan's period is taken as
/// already invoiced. Line types 1 (charge) and 2 (credit) are the sandbox's own (unverified against Aria).
/// </summary>
internal static class PlanChangeEngine
{
    public const int ChargeLine = 1;
    public const int CreditLine = 2;

    public static ChangeOutcome Replace(SandboxState state, PlanInstance instance, Plan newPlan, RateSchedule newSchedule, decimal units, DateOnly from, bool prorate)
    {
        var lines = new List<InvoiceLine>();
        var dropped = new List<PlanInstance>();
        if (instance.IsMaster)
        {
            // A master replace drops supplemental plans that cannot sit under the new master.
            dropped.AddRange(state.ChildrenOf(instance).Where(c => c.IsLive && !state.PlanByNo(c.PlanNo).ParentPlanNos.Contains(newPlan.PlanNo)));
        }

        if (prorate)
        {
            lines.Add(Credit(state, instance, from, lines.Count + 1));
            lines.Add(Charge(newPlan, newSchedule, units, from, instance.PeriodStart, instance.NextBillDate, lines.Count + 1));
            foreach (var child in dropped.SelectMany(d => WithDescendants(state, d)).Where(c => c.IsLive))
            {
                lines.Add(Credit(state, child, from, lines.Count + 1));
            }
        }

        return new ChangeOutcome(lines, () =>
        {
            instance.PlanNo = newPlan.PlanNo;
            instance.RateScheduleNo = newSchedule.ScheduleNo;
            instance.Units = units;
            instance.StatusDate = from;
            foreach (var child in dropped.SelectMany(d => WithDescendants(state, d)))
            {
                child.StatusCd = -2;
                child.StatusDate = from;
            }
        }, instance, newPlan, newSchedule, units);
    }

    public static ChangeOutcome Update(SandboxState state, PlanInstance instance, RateSchedule newSchedule, decimal units, int? newStatus, DateOnly from, bool prorate)
    {
        var lines = new List<InvoiceLine>();
        var plan = state.PlanByNo(instance.PlanNo);
        var changesCharge = units != instance.Units || newSchedule.ScheduleNo != instance.RateScheduleNo;
        if (prorate && changesCharge)
        {
            // Unverified against Aria: a units or rate change is shown as a credit for the old
            // quantity and a charge for the new one, like a switch, rather than a single delta line.
            lines.Add(Credit(state, instance, from, 1));
            lines.Add(Charge(plan, newSchedule, units, from, instance.PeriodStart, instance.NextBillDate, 2));
        }

        return new ChangeOutcome(lines, () =>
        {
            instance.Units = units;
            instance.RateScheduleNo = newSchedule.ScheduleNo;
            if (newStatus is not null)
            {
                instance.StatusCd = newStatus.Value;
            }

            instance.StatusDate = from;
        }, instance, plan, newSchedule, units);
    }

    public static ChangeOutcome Cancel(SandboxState state, PlanInstance instance, DateOnly from, bool prorate)
    {
        var affected = WithDescendants(state, instance).Where(i => i.IsLive).ToList();
        var lines = prorate ? affected.Select((i, n) => Credit(state, i, from, n + 1)).ToList() : [];
        return new ChangeOutcome(lines, () =>
        {
            // Cancelling cascades to children; they stay on the account, unusable.
            foreach (var item in affected)
            {
                item.StatusCd = -2;
                item.StatusDate = from;
            }
        }, instance, null, null, 0);
    }

    /// <summary>Marks an instance and its children "pending cancellation" (status 2) until the anniversary (unverified against Aria).</summary>
    public static ChangeOutcome CancelAtAnniversary(SandboxState state, PlanInstance instance, DateOnly today)
    {
        var affected = WithDescendants(state, instance).Where(i => i.IsLive).ToList();
        return new ChangeOutcome([], () =>
        {
            foreach (var item in affected)
            {
                item.StatusCd = 2;
                item.StatusDate = today;
            }
        }, instance, null, null, 0);
    }

    public static ChangeOutcome Assign(SandboxState state, Account account, Plan plan, RateSchedule schedule, decimal units, PlanInstance? parent, DateOnly from, bool prorate, string? clientPlanInstanceId)
    {
        var number = state.NextId();
        var lines = new List<InvoiceLine>();
        PlanInstance created;
        if (parent is not null)
        {
            // A supplemental plan is co-termed with its parent: same bill day and period.
            created = new PlanInstance
            {
                PlanInstanceNo = number,
                ClientPlanInstanceId = clientPlanInstanceId ?? $"PI-{number}",
                AcctNo = account.AcctNo,
                PlanNo = plan.PlanNo,
                RateScheduleNo = schedule.ScheduleNo,
                Units = units,
                ParentPlanInstanceNo = parent.PlanInstanceNo,
                MasterPlanInstanceNo = parent.MasterPlanInstanceNo,
                BillingGroupNo = parent.BillingGroupNo,
                BillDay = parent.BillDay,
                PlanDate = from,
                StatusDate = from,
                PeriodStart = parent.PeriodStart,
                NextBillDate = parent.NextBillDate,
            };
            if (prorate)
            {
                lines.Add(Charge(plan, schedule, units, from, created.PeriodStart, created.NextBillDate, 1));
            }
        }
        else
        {
            // A new master plan starts its own period today and is billed for it in advance.
            var billDay = Math.Min(from.Day, 28);
            created = new PlanInstance
            {
                PlanInstanceNo = number,
                ClientPlanInstanceId = clientPlanInstanceId ?? $"PI-{number}",
                AcctNo = account.AcctNo,
                PlanNo = plan.PlanNo,
                RateScheduleNo = schedule.ScheduleNo,
                Units = units,
                MasterPlanInstanceNo = number,
                BillingGroupNo = account.BillingGroups.First().BillingGroupNo,
                BillDay = billDay,
                PlanDate = from,
                StatusDate = from,
                PeriodStart = from,
                NextBillDate = Periods.AddMonths(from, schedule.IntervalMonths, from.Day),
            };
            lines.Add(Charge(plan, schedule, units, from, created.PeriodStart, created.NextBillDate, 1));
        }

        return new ChangeOutcome(lines, () => state.PlanInstances.Add(created), created, plan, schedule, units);
    }

    public static IEnumerable<PlanInstance> WithDescendants(SandboxState state, PlanInstance root)
    {
        yield return root;
        foreach (var child in state.ChildrenOf(root).ToList())
        {
            foreach (var item in WithDescendants(state, child))
            {
                yield return item;
            }
        }
    }

    private static InvoiceLine Credit(SandboxState state, PlanInstance instance, DateOnly from, int lineNo)
    {
        var plan = state.PlanByNo(instance.PlanNo);
        var schedule = state.ScheduleOf(instance);
        var factor = Money.ProrationFactor(from, instance.PeriodStart, instance.NextBillDate);
        return new InvoiceLine
        {
            LineNo = lineNo,
            Description = $"Credit for unused {plan.Name}",
            ServiceNo = plan.ServiceNo,
            ServiceName = plan.ServiceName,
            Units = instance.Units,
            RatePerUnit = schedule.RatePerUnit,
            Amount = -Money.Round(schedule.RatePerUnit * instance.Units * factor),
            ProrationFactor = Money.DisplayFactor(factor),
            From = from,
            Thru = instance.NextBillDate.AddDays(-1),
            PlanNo = plan.PlanNo,
            PlanName = plan.Name,
            ClientPlanId = plan.ClientPlanId,
        };
    }

    private static InvoiceLine Charge(Plan plan, RateSchedule schedule, decimal units, DateOnly from, DateOnly periodStart, DateOnly nextBillDate, int lineNo)
    {
        var factor = Money.ProrationFactor(from, periodStart, nextBillDate);
        return new InvoiceLine
        {
            LineNo = lineNo,
            Description = factor == 1 ? plan.ServiceName : $"{plan.ServiceName} (prorated)",
            ServiceNo = plan.ServiceNo,
            ServiceName = plan.ServiceName,
            Units = units,
            RatePerUnit = schedule.RatePerUnit,
            Amount = Money.Round(schedule.RatePerUnit * units * factor),
            ProrationFactor = Money.DisplayFactor(factor),
            From = from,
            Thru = nextBillDate.AddDays(-1),
            PlanNo = plan.PlanNo,
            PlanName = plan.Name,
            ClientPlanId = plan.ClientPlanId,
        };
    }

    /// <summary>Recurring lines for a full period, billed on the anniversary.</summary>
    public static InvoiceLine Recurring(SandboxState state, PlanInstance instance, int lineNo)
    {
        var plan = state.PlanByNo(instance.PlanNo);
        var schedule = state.ScheduleOf(instance);
        return new InvoiceLine
        {
            LineNo = lineNo,
            Description = plan.ServiceName,
            ServiceNo = plan.ServiceNo,
            ServiceName = plan.ServiceName,
            Units = instance.Units,
            RatePerUnit = schedule.RatePerUnit,
            Amount = Money.Round(schedule.RatePerUnit * instance.Units),
            ProrationFactor = 1,
            From = instance.PeriodStart,
            Thru = instance.NextBillDate.AddDays(-1),
            PlanNo = plan.PlanNo,
            PlanName = plan.Name,
            ClientPlanId = plan.ClientPlanId,
        };
    }
}
