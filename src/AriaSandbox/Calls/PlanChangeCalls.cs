using System.Text.Json.Nodes;
using Aria.Sandbox.Billing;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

// Longer than 350 lines on purpose (the simulator's four plan-change calls share their preview/write validation); the Shape tests' FileSizeTests bound it.
namespace Aria.Sandbox.Calls;

/// <summary>
/// replace, assign, update and cancel_acct_plan_m with the <c>do_write</c> preview.
/// A preview computes the full outcome and changes nothing — no instance change,
/// invoice, transaction, queue entry, and no receipt id consumed.
/// </summary>
internal static class PlanChangeCalls
{
    private static readonly int[] SupportedDirectives = [1, 2, 3, 4, 7, 8, 9];

    private sealed record ChangeTiming(int Directive, bool Immediate, bool Prorate, DateOnly From, DateOnly? EffectiveDate);

    public static JsonObject Replace(CallContext ctx)
    {
        var (account, doWrite) = Begin(ctx);
        var instance = Instance(ctx, account);
        var plan = ctx.State.FindPlan(ctx.Input.Long("new_plan_no"), ctx.Input.NonEmpty("new_client_plan_id"))
            ?? throw new AriaFault(AriaCodes.InvalidInput, "invalid plan number (placeholder code; unverified against Aria)");
        if (plan.PlanNo == instance.PlanNo)
        {
            throw new AriaFault(AriaCodes.InvalidInput, "the plan instance already has this plan");
        }

        RequireAssignable(plan, instance.IsMaster ? null : ParentOf(ctx, instance));
        var schedule = Schedule(ctx, plan);
        var units = Units(ctx) ?? instance.Units;
        var timing = Timing(ctx, instance.PeriodStart, instance.NextBillDate);
        if (timing.Immediate)
        {
            return Finish(ctx, account, doWrite, PlanChangeEngine.Replace(ctx.State, instance, plan, schedule, units, timing.From, timing.Prorate), withExpected: true);
        }

        return Queue(ctx, doWrite, instance, timing, QueuedChangeKind.Replace, plan, schedule, units);
    }

    public static JsonObject Assign(CallContext ctx)
    {
        var (account, doWrite) = Begin(ctx);
        var plan = ctx.State.FindPlan(ctx.Input.Long("new_plan_no"), ctx.Input.NonEmpty("new_client_plan_id"))
            ?? throw new AriaFault(AriaCodes.InvalidInput, "invalid plan number (placeholder code; unverified against Aria)");
        PlanInstance? parent = null;
        if (plan.IsSupplemental)
        {
            var parentNo = ctx.Input.Long("parent_plan_instance_no");
            var parentId = ctx.Input.NonEmpty("client_parent_plan_instance_id");
            if (parentNo is null && parentId is null)
            {
                throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: parent_plan_instance_no");
            }

            parent = ctx.State.InstancesOf(account.AcctNo).FirstOrDefault(i => parentNo is not null ? i.PlanInstanceNo == parentNo : i.ClientPlanInstanceId == parentId);
            if (parent is null || !parent.IsLive)
            {
                throw new AriaFault(parentNo is not null ? AriaCodes.InvalidPlanInstanceNo : AriaCodes.InvalidClientPlanInstanceId, "invalid parent plan instance");
            }

            if (ctx.State.ChildrenOf(parent).Any(c => c.IsLive && c.PlanNo == plan.PlanNo))
            {
                throw new AriaFault(AriaCodes.InvalidInput, "the plan is already assigned under this parent (placeholder code; unverified against Aria)");
            }
        }

        RequireAssignable(plan, parent);
        var clientInstanceId = ctx.Input.NonEmpty("client_plan_instance_id");
        if (clientInstanceId is not null && ctx.State.PlanInstances.Any(i => i.ClientPlanInstanceId == clientInstanceId))
        {
            throw new AriaFault(AriaCodes.InvalidInput, "client_plan_instance_id is already used");
        }

        var schedule = Schedule(ctx, plan);
        var units = Units(ctx) ?? 1;
        var timing = Timing(ctx, parent?.PeriodStart ?? ctx.Today, parent?.NextBillDate ?? ctx.Today.AddDays(1));
        if (parent is null)
        {
            // A new master has no anniversary to wait for and starts its own period: every
            // directive starts it now (unverified against Aria).
            timing = timing with { Immediate = true, From = ctx.Today };
        }

        if (timing.Immediate)
        {
            var outcome = PlanChangeEngine.Assign(ctx.State, account, plan, schedule, units, parent, timing.From, timing.Prorate, clientInstanceId);
            var reply = Finish(ctx, account, doWrite, outcome, withExpected: true);
            if (doWrite)
            {
                reply["plan_instance_no"] = outcome.Instance.PlanInstanceNo;
            }

            return reply;
        }

        return Queue(ctx, doWrite, parent!, timing, QueuedChangeKind.Assign, plan, schedule, units);
    }

    public static JsonObject Update(CallContext ctx)
    {
        var (account, doWrite) = Begin(ctx);
        var instance = Instance(ctx, account);
        var plan = ctx.State.PlanByNo(instance.PlanNo);
        var requested = ctx.Input.Long("alt_rate_schedule_no");
        var schedule = requested is null ? ctx.State.ScheduleOf(instance) : plan.RateSchedules.FirstOrDefault(r => r.ScheduleNo == requested)
            ?? throw new AriaFault(AriaCodes.InvalidInput, $"invalid rate schedule {requested} for plan {plan.PlanNo}");
        var units = Units(ctx) ?? instance.Units;
        var status = ctx.Input.Long("plan_status");
        if (status is not null && AccountCalls.StatusLabel((int)status) == "Unknown")
        {
            throw new AriaFault(AriaCodes.InvalidInput, "invalid plan_status");
        }

        var timing = Timing(ctx, instance.PeriodStart, instance.NextBillDate);
        if (timing.Immediate)
        {
            return Finish(ctx, account, doWrite, PlanChangeEngine.Update(ctx.State, instance, schedule, units, (int?)status, timing.From, timing.Prorate), withExpected: true);
        }

        return Queue(ctx, doWrite, instance, timing, QueuedChangeKind.Update, plan, schedule, units);
    }

    public static JsonObject Cancel(CallContext ctx)
    {
        var (account, doWrite) = Begin(ctx);
        var instance = Instance(ctx, account);
        var timing = Timing(ctx, instance.PeriodStart, instance.NextBillDate);
        if (timing.Immediate)
        {
            return Finish(ctx, account, doWrite, PlanChangeEngine.Cancel(ctx.State, instance, timing.From, timing.Prorate), withExpected: false);
        }

        if (timing.Directive == 1 && doWrite)
        {
            // Directive 1: the instance waits as "pending cancellation" (status 2) until the
            // anniversary (inferred; unverified against Aria).
            PlanChangeEngine.CancelAtAnniversary(ctx.State, instance, ctx.Today).Apply();
        }

        return Queue(ctx, doWrite, instance, timing, QueuedChangeKind.Cancel, null, null, 0);
    }

    private static (Account Account, bool DoWrite) Begin(CallContext ctx)
    {
        var account = ctx.Account();
        var doWrite = ctx.Input.Bool("do_write", defaultValue: true);
        // Aria's 1049 messages cite statuses 0 and -99; the sandbox refuses every status but 1
        // Active (which other statuses block is unverified against Aria).
        if (account.StatusCd != 1)
        {
            throw new AriaFault(AriaCodes.StatusBlocksChange, $"plan or billing changes are not allowed in account status {account.StatusCd}");
        }

        ctx.CheckReceipt();
        return (account, doWrite);
    }

    private static PlanInstance Instance(CallContext ctx, Account account)
    {
        var number = ctx.Input.Long("plan_instance_no");
        var clientId = ctx.Input.NonEmpty("client_plan_instance_id");
        if (number is null && clientId is null)
        {
            throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: plan_instance_no");
        }

        var instance = ctx.State.InstancesOf(account.AcctNo).FirstOrDefault(i => number is not null ? i.PlanInstanceNo == number : i.ClientPlanInstanceId == clientId);
        if (instance is null || !instance.IsLive || instance.StatusCd == 2)
        {
            throw number is not null
                ? new AriaFault(AriaCodes.InvalidPlanInstanceNo, "invalid plan instance number")
                : new AriaFault(AriaCodes.InvalidClientPlanInstanceId, "invalid client plan instance id");
        }

        return instance;
    }

    private static PlanInstance ParentOf(CallContext ctx, PlanInstance instance) =>
        ctx.State.PlanInstances.First(p => p.PlanInstanceNo == instance.ParentPlanInstanceNo);

    /// <summary>A master plan goes on a master; a supplemental plan only under a master it is linked to.</summary>
    private static void RequireAssignable(Plan plan, PlanInstance? parent)
    {
        var fits = parent is null ? !plan.IsSupplemental : plan.IsSupplemental && plan.ParentPlanNos.Contains(parent.PlanNo);
        if (!fits)
        {
            throw new AriaFault(AriaCodes.InvalidInput, $"plan {plan.PlanNo} cannot be assigned here (placeholder code; unverified against Aria)");
        }
    }

    private static RateSchedule Schedule(CallContext ctx, Plan plan)
    {
        var requested = ctx.Input.Long("alt_rate_schedule_no");
        if (requested is null)
        {
            return plan.DefaultSchedule;
        }

        return plan.RateSchedules.FirstOrDefault(r => r.ScheduleNo == requested)
            ?? throw new AriaFault(AriaCodes.InvalidInput, $"invalid rate schedule {requested} for plan {plan.PlanNo}");
    }

    private static decimal? Units(CallContext ctx)
    {
        var units = ctx.Input.Decimal("plan_units");
        return units is not null && units <= 0
            ? throw new AriaFault(AriaCodes.InvalidInput, "invalid input: plan_units must be greater than 0")
            : units;
    }

    private static ChangeTiming Timing(CallContext ctx, DateOnly periodStart, DateOnly nextBillDate)
    {
        var directive = (int)(ctx.Input.Long("assignment_directive") ?? ctx.Client.DefaultAssignmentDirective);
        if (!SupportedDirectives.Contains(directive))
        {
            throw new AriaFault(AriaCodes.InvalidAssignmentDirective, $"invalid assignment directive {directive}");
        }

        var prorate = directive switch
        {
            2 or 7 => ctx.Client.ProrateByDefault,
            4 or 9 => true,
            _ => false,
        };
        if (directive is 2 or 3 or 4)
        {
            var from = ctx.Input.Date("alt_proration_start_date") ?? ctx.Today;
            if (from < periodStart || from >= nextBillDate)
            {
                // Aria: "This date cannot be before the beginning of the current billing period" (code unknown; 1016 is a placeholder).
                throw new AriaFault(AriaCodes.InvalidInput, "alt_proration_start_date must fall in the current billing period");
            }

            return new ChangeTiming(directive, true, prorate, from, null);
        }

        var effective = directive == 1 ? null : ctx.Input.Date("effective_date");
        if (effective is not null && effective < ctx.Today)
        {
            throw new AriaFault(AriaCodes.InvalidInput, "effective_date is in the past");
        }

        return new ChangeTiming(directive, false, prorate, ctx.Today, effective);
    }

    private static JsonObject Finish(CallContext ctx, Account account, bool doWrite, ChangeOutcome outcome, bool withExpected)
    {
        var reply = CallContext.Ok();
        Invoice? invoice = null;
        if (doWrite)
        {
            outcome.Apply();
            if (outcome.Lines.Any(l => l.Amount != 0))
            {
                invoice = Ledger.Bill(ctx.State, account, outcome.Instance.MasterPlanInstanceNo, ctx.Today, outcome.Lines.Min(l => l.From), outcome.Lines.Max(l => l.Thru), outcome.Lines);
            }

            ctx.RecordReceipt();
        }

        AddAmounts(reply, outcome.Lines);
        reply.Put("invoice_no", invoice?.InvoiceNo);
        if (withExpected && outcome.ResultPlan is not null && outcome.ResultSchedule is not null)
        {
            var perPeriod = outcome.ResultSchedule.RatePerUnit * outcome.ResultUnits;
            var monthly = Money.Round(perPeriod / outcome.ResultSchedule.IntervalMonths);
            reply["expectd_activation_fee"] = 0m;
            reply["expectd_mthly_recurring_cost"] = monthly;
            reply["expectd_annu_recurring_cost"] = Money.Round(perPeriod * 12 / outcome.ResultSchedule.IntervalMonths);
        }

        AddQueue(ctx, reply, outcome.Instance.PlanInstanceNo);
        return reply;
    }

    private static JsonObject Queue(CallContext ctx, bool doWrite, PlanInstance instance, ChangeTiming timing, QueuedChangeKind kind, Plan? plan, RateSchedule? schedule, decimal units)
    {
        if (doWrite)
        {
            ctx.State.Queue.Add(new QueuedChange
            {
                QueueId = ctx.State.NextId(),
                Kind = kind,
                PlanInstanceNo = instance.PlanInstanceNo,
                Directive = timing.Directive,
                EffectiveDate = timing.EffectiveDate,
                NewPlanNo = plan?.PlanNo,
                NewRateScheduleNo = schedule?.ScheduleNo,
                NewUnits = units,
            });
            ctx.RecordReceipt();
            BillingEngine.CatchUp(ctx.State, ctx.Client, ctx.Today);
        }

        // A queued change bills nothing now: amounts are 0 until it runs.
        var reply = CallContext.Ok();
        AddAmounts(reply, []);
        if (plan is not null && schedule is not null)
        {
            reply["expectd_activation_fee"] = 0m;
            reply["expectd_mthly_recurring_cost"] = Money.Round(schedule.RatePerUnit * units / schedule.IntervalMonths);
            reply["expectd_annu_recurring_cost"] = Money.Round(schedule.RatePerUnit * units * 12 / schedule.IntervalMonths);
        }

        AddQueue(ctx, reply, instance.PlanInstanceNo);
        return reply;
    }

    private static void AddQueue(CallContext ctx, JsonObject reply, long planInstanceNo)
    {
        if (!ctx.Input.Bool("include_plan_instance_queue", defaultValue: false))
        {
            return;
        }

        reply["plan_instance_queue"] = Json.Array(ctx.State.Queue.Where(q => q.PlanInstanceNo == planInstanceNo), q => new JsonObject()
            .Put("queue_id", q.QueueId)
            // 1 replace, 2 cancel, 3 update, 4 assign: the sandbox's own numbering (unverified against Aria).
            .Put("queue_type_ind", q.Kind switch { QueuedChangeKind.Replace => 1, QueuedChangeKind.Cancel => 2, QueuedChangeKind.Update => 3, _ => 4 })
            .Put("plan_instance_no", q.PlanInstanceNo));
    }

    /// <summary>
    /// Totals: charges are the positive lines, credits the negative ones (as a positive amount),
    /// total and proration_result_amount their net. No tax engine: tax is 0. How Aria fills
    /// proration_credit_* exactly is unverified: the sandbox gives the credit lines' sum (negative)
    /// and its size. Tax is always 0: the sandbox has no tax engine (unverified against Aria).
    /// </summary>
    internal static void AddAmounts(JsonObject reply, IReadOnlyList<InvoiceLine> lines)
    {
        var charges = lines.Where(l => l.Amount > 0).Sum(l => l.Amount);
        var credits = -lines.Where(l => l.Amount < 0).Sum(l => l.Amount);
        reply["proration_result_amount"] = charges - credits;
        reply["acct_plan_line_items"] = Json.Array(lines, l => new JsonObject()
            .Put("line_no", l.LineNo)
            .Put("line_type", l.Amount < 0 ? PlanChangeEngine.CreditLine : PlanChangeEngine.ChargeLine)
            .Put("service_no", l.ServiceNo)
            .Put("service_name", l.ServiceName)
            .Put("line_units", l.Units)
            .Put("rate_per_unit", l.RatePerUnit)
            .Put("line_amount", l.Amount)
            .Put("line_base_units", l.Units)
            .Put("proration_factor", l.ProrationFactor)
            .Put("description", l.Description)
            .Put("date_range_start", CallContext.Date(l.From))
            .Put("date_range_end", CallContext.Date(l.Thru))
            .Put("plan_no", l.PlanNo)
            .Put("plan_name", l.PlanName)
            .Put("client_plan_id", l.ClientPlanId));
        reply["total_charges_before_tax"] = charges;
        reply["total_tax_charges"] = 0m;
        reply["total_charges_after_tax"] = charges;
        reply["total_credit"] = credits;
        reply["total_tax_credit"] = 0m;
        reply["total_credit_before_tax"] = credits;
        reply["total"] = charges - credits;
        reply["proration_credit_result_amount"] = -credits;
        reply["proration_credit_amount"] = credits;
        reply["proration_tax_amount"] = 0m;
    }
}
