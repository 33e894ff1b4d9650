using Aria.Sandbox.State;

namespace Aria.Sandbox.Billing;

/// <summary>
/// Lets simulated time pass: before each call, brings every plan instance up to today — rolls
/// periods over on their anniversaries, runs queued changes (directive 1 at the anniversary,
/// 7–9 on their effective date), turns "pending cancellation" into cancelled, and bills each new
/// period in advance. Unverified against Aria: no automatic collection runs here (it runs after a catch-up,
/// in <see cref="AutomaticCollection"/>, only when <c>Aria:SandboxEvents:AutomaticCollection</c> is on).
/// </summary>
internal static class BillingEngine
{
    public static void CatchUp(SandboxState state, SandboxClient client, DateOnly today)
    {
        foreach (var master in state.PlanInstances.Where(p => p.IsMaster).ToList())
        {
            while (master.IsLive && master.NextBillDate <= today)
            {
                RollOver(state, master, master.NextBillDate);
            }
        }

        foreach (var queued in state.Queue.Where(q => q.Directive != 1 && q.EffectiveDate is { } d && d <= today).OrderBy(q => q.EffectiveDate).ToList())
        {
            state.Queue.Remove(queued);
            var instance = state.PlanInstances.FirstOrDefault(p => p.PlanInstanceNo == queued.PlanInstanceNo);
            if (instance is null || !instance.IsLive)
            {
                continue;
            }

            var prorate = queued.Directive switch { 9 => true, 8 => false, _ => client.ProrateByDefault };
            var outcome = Execute(state, instance, queued, queued.EffectiveDate!.Value, prorate);
            outcome?.Apply();
            if (outcome is { Lines.Count: > 0 } && outcome.Lines.Any(l => l.Amount != 0))
            {
                Ledger.Bill(state, state.AccountByNo(instance.AcctNo), instance.MasterPlanInstanceNo, queued.EffectiveDate!.Value, queued.EffectiveDate, instance.NextBillDate.AddDays(-1), outcome.Lines);
            }
        }

        state.BilledThrough = today;
    }

    private static void RollOver(SandboxState state, PlanInstance master, DateOnly anniversary)
    {
        var group = PlanChangeEngine.WithDescendants(state, master).ToList();
        foreach (var queued in state.Queue.Where(q => q.Directive == 1 && group.Any(g => g.PlanInstanceNo == q.PlanInstanceNo)).ToList())
        {
            state.Queue.Remove(queued);
            var instance = group.First(g => g.PlanInstanceNo == queued.PlanInstanceNo);
            // At the anniversary nothing is left to prorate: the change simply takes effect.
            Execute(state, instance, queued, anniversary, prorate: false)?.Apply();
        }

        foreach (var instance in PlanChangeEngine.WithDescendants(state, master).ToList())
        {
            if (instance.NextBillDate != anniversary)
            {
                continue;
            }

            if (instance.StatusCd == 2)
            {
                instance.StatusCd = -2;
                instance.StatusDate = anniversary;
                continue;
            }

            if (!instance.IsLive)
            {
                continue;
            }

            instance.PeriodStart = anniversary;
            instance.NextBillDate = Periods.AddMonths(anniversary, state.ScheduleOf(instance).IntervalMonths, instance.BillDay);
        }

        var lines = new List<InvoiceLine>();
        foreach (var instance in PlanChangeEngine.WithDescendants(state, master).Where(i => i.IsLive && i.PeriodStart == anniversary))
        {
            lines.Add(PlanChangeEngine.Recurring(state, instance, lines.Count + 1));
        }

        if (lines.Count > 0)
        {
            Ledger.Bill(state, state.AccountByNo(master.AcctNo), master.PlanInstanceNo, anniversary, anniversary, master.NextBillDate.AddDays(-1), lines);
        }
    }

    private static ChangeOutcome? Execute(SandboxState state, PlanInstance instance, QueuedChange queued, DateOnly on, bool prorate) => queued.Kind switch
    {
        QueuedChangeKind.Replace when queued.NewPlanNo is { } planNo => PlanChangeEngine.Replace(
            state, instance, state.PlanByNo(planNo),
            state.PlanByNo(planNo).RateSchedules.FirstOrDefault(r => r.ScheduleNo == queued.NewRateScheduleNo) ?? state.PlanByNo(planNo).DefaultSchedule,
            queued.NewUnits ?? instance.Units, on, prorate),
        QueuedChangeKind.Update => PlanChangeEngine.Update(
            state, instance,
            state.PlanByNo(instance.PlanNo).RateSchedules.FirstOrDefault(r => r.ScheduleNo == queued.NewRateScheduleNo) ?? state.ScheduleOf(instance),
            queued.NewUnits ?? instance.Units, null, on, prorate),
        QueuedChangeKind.Cancel => PlanChangeEngine.Cancel(state, instance, on, prorate),
        QueuedChangeKind.Assign when queued.NewPlanNo is { } planNo => PlanChangeEngine.Assign(
            state, state.AccountByNo(instance.AcctNo), state.PlanByNo(planNo),
            state.PlanByNo(planNo).RateSchedules.FirstOrDefault(r => r.ScheduleNo == queued.NewRateScheduleNo) ?? state.PlanByNo(planNo).DefaultSchedule,
            queued.NewUnits ?? 1, instance, on, prorate, null),
        _ => null,
    };
}
