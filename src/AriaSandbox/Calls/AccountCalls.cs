using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>Account, plans and catalog reads.</summary>
internal static class AccountCalls
{
    public static string StatusLabel(int status) => status switch
    {
        -3 => "Terminated",
        -2 => "Cancelled",
        -1 => "Suspended",
        0 => "Inactive",
        1 => "Active",
        2 => "Pending Cancellation",
        3 => "Pending Termination",
        31 => "Pending Installation",
        32 => "Pending Activation",
        41 => "Trial",
        61 => "Active Non-Billable",
        _ => "Unknown",
    };

    public static JsonObject GetAcctDetailsAll(CallContext ctx)
    {
        var account = ctx.Account();
        var includeMasters = (ctx.Input.Long("include_master_plans") ?? 1) == 1;
        var includeSupps = (ctx.Input.Long("include_supp_plans") ?? 1) == 1;
        var includeGroups = (ctx.Input.Long("include_billing_groups") ?? 1) == 1;
        var includeMethods = (ctx.Input.Long("include_payment_methods") ?? 1) == 1;
        var c = account.AccountContact;
        var instances = ctx.State.InstancesOf(account.AcctNo).ToList();
        var reply = CallContext.Ok()
            .Put("client_acct_id", account.ClientAcctId)
            .Put("userid", account.UserId)
            .Put("first_name", c.FirstName).Put("middle_initial", c.MiddleInitial).Put("last_name", c.LastName)
            .Put("company_name", c.CompanyName).Put("address1", c.Address1).Put("address2", c.Address2).Put("address3", c.Address3)
            .Put("city", c.City).Put("locality", c.Locality).Put("state_prov", c.StateProv).Put("country_cd", c.CountryCd)
            .Put("postal_cd", c.PostalCd).Put("phone", c.Phone).Put("cell_phone", c.CellPhone).Put("email", c.Email).Put("birthdate", c.Birthdate)
            .Put("status_cd", account.StatusCd)
            .Put("notify_method", 1)
            .Put("acct_start_date", CallContext.Date(account.StartDate))
            .Put("acct_currency", account.Currency)
            .Put("acct_balance", account.Balance)
            .Put("master_plan_count", instances.Count(i => i.IsMaster))
            .Put("supp_plan_count", instances.Count(i => !i.IsMaster))
            .Put("acct_no_2", account.AcctNo);
        if (includeGroups)
        {
            reply["billing_groups_info"] = Json.Array(account.BillingGroups, g => new JsonObject()
                .Put("billing_group_no", g.BillingGroupNo)
                .Put("billing_group_name", g.Name)
                .Put("client_def_billing_group_id", $"BG-{g.BillingGroupNo}")
                .Put("primary_payment_method_no", g.PrimaryPaymentMethodNo)
                .Put("backup_payment_method_no", g.BackupPaymentMethodNo)
                .Put("stmt_first_name", g.StatementContact.FirstName)
                .Put("stmt_last_name", g.StatementContact.LastName)
                .Put("stmt_email", g.StatementContact.Email)
                .Put("stmt_contact_no", g.StatementContact.ContactNo));
        }

        if (includeMethods)
        {
            reply["payment_methods_info"] = Json.Array(account.PaymentMethods.Where(m => !m.Disabled), m => PaymentMethodInfo(account, m));
        }

        if (includeMasters)
        {
            reply["master_plans_info"] = Json.Array(instances.Where(i => i.IsMaster), m => MasterPlanInfo(ctx, m, includeSupps ? instances : []));
        }

        return reply;
    }

    private static JsonObject PaymentMethodInfo(Account account, PaymentMethod m)
    {
        var group = account.BillingGroups.First(g => g.BillingGroupNo == m.BillingGroupNo);
        return new JsonObject()
            .Put("billing_group_no", m.BillingGroupNo)
            .Put("payment_method_no", m.PaymentMethodNo)
            .Put("client_payment_method_id", m.ClientPaymentMethodId)
            .Put("bill_first_name", group.BillingContact.FirstName)
            .Put("bill_last_name", group.BillingContact.LastName)
            .Put("bill_email", group.BillingContact.Email)
            .Put("pay_method_name", m.Name)
            .Put("pay_method_type", m.PayMethodType)
            .Put("suffix", m.Suffix)
            .Put("cc_expire_mm", m.ExpireMonth)
            .Put("cc_expire_yyyy", m.ExpireYear)
            .Put("cc_type", m.CardType)
            .Put("bill_contact_no", group.BillingContact.ContactNo);
    }

    private static JsonObject MasterPlanInfo(CallContext ctx, PlanInstance m, List<PlanInstance> all)
    {
        var plan = ctx.State.PlanByNo(m.PlanNo);
        var schedule = ctx.State.ScheduleOf(m);
        var balance = ctx.State.Invoices.Where(i => i.MasterPlanInstanceNo == m.PlanInstanceNo).Sum(i => i.Total - i.PaidAmount);
        return new JsonObject()
            .Put("master_plan_instance_no", m.PlanInstanceNo)
            .Put("client_master_plan_instance_id", m.ClientPlanInstanceId)
            .Put("client_master_plan_id", plan.ClientPlanId)
            .Put("master_plan_no", plan.PlanNo)
            .Put("master_plan_instance_description", plan.Name)
            .Put("billing_group_no", m.BillingGroupNo)
            .Put("master_plan_instance_status", m.StatusCd)
            .Put("mp_instance_status_label", StatusLabel(m.StatusCd))
            .Put("master_plan_units", (long)m.Units)
            .Put("alt_rate_schedule_no", schedule.ScheduleNo)
            .Put("bill_day", m.BillDay)
            .Put("last_bill_date", CallContext.Date(m.PeriodStart))
            .Put("last_bill_thru_date", CallContext.Date(m.NextBillDate.AddDays(-1)))
            .Put("next_bill_date", CallContext.Date(m.NextBillDate))
            .Put("plan_date", CallContext.Date(m.PlanDate))
            .Put("status_date", CallContext.Date(m.StatusDate))
            .Put("master_plan_instance_balance", balance)
            .Put("recurring_billing_interval", schedule.IntervalMonths)
            .Put("supp_plans_info", Json.Array(all.Where(s => s.ParentPlanInstanceNo is not null && s.MasterPlanInstanceNo == m.PlanInstanceNo), s =>
            {
                var supp = ctx.State.PlanByNo(s.PlanNo);
                return new JsonObject()
                    .Put("supp_plan_instance_no", s.PlanInstanceNo)
                    .Put("client_supp_plan_instance_id", s.ClientPlanInstanceId)
                    .Put("supp_plan_no", supp.PlanNo)
                    .Put("client_supp_plan_id", supp.ClientPlanId)
                    .Put("supp_plan_instance_description", supp.Name)
                    .Put("supp_plan_units", s.Units)
                    .Put("next_bill_date", CallContext.Date(s.NextBillDate))
                    .Put("plan_date", CallContext.Date(s.PlanDate))
                    .Put("status_date", CallContext.Date(s.StatusDate))
                    .Put("supp_plan_instance_status_cd", s.StatusCd)
                    .Put("supp_plan_instance_status", StatusLabel(s.StatusCd))
                    .Put("parent_plan_instance_no", s.ParentPlanInstanceNo);
            }));
    }

    public static JsonObject GetAcctPlans(CallContext ctx)
    {
        var account = ctx.Account();
        return CallContext.Ok().Put("acct_plans_m", Json.Array(ctx.State.InstancesOf(account.AcctNo), i => InstanceRow(ctx, i)));
    }

    public static JsonObject InstanceRow(CallContext ctx, PlanInstance i)
    {
        var plan = ctx.State.PlanByNo(i.PlanNo);
        var schedule = ctx.State.ScheduleOf(i);
        return new JsonObject()
            .Put("plan_no", plan.PlanNo)
            .Put("plan_name", plan.Name)
            .Put("plan_desc", plan.Description)
            .Put("plan_instance_no", i.PlanInstanceNo)
            .Put("client_plan_instance_id", i.ClientPlanInstanceId)
            .Put("plan_date", CallContext.Date(i.PlanDate))
            .Put("plan_units", (long)i.Units)
            .Put("last_bill_date", CallContext.Date(i.PeriodStart))
            .Put("next_bill_date", CallContext.Date(i.NextBillDate))
            .Put("bill_thru_date", CallContext.Date(i.NextBillDate.AddDays(-1)))
            .Put("bill_day", i.BillDay)
            .Put("recurring_billing_interval", schedule.IntervalMonths)
            .Put("billing_ind", 1)
            .Put("display_ind", plan.Displayed ? 1 : 0)
            .Put("currency_cd", schedule.Currency)
            .Put("rate_schedule_no", schedule.ScheduleNo)
            .Put("rate_schedule_name", schedule.Name)
            .Put("rate_sched_is_default_ind", schedule.IsDefault ? 1 : 0)
            .Put("supp_plan_ind", plan.IsSupplemental ? 1 : 0)
            .Put("plan_instance_status_cd", i.StatusCd)
            .Put("plan_instance_status_label", StatusLabel(i.StatusCd))
            .Put("plan_instance_status_date", CallContext.Date(i.StatusDate))
            .Put("client_plan_id", plan.ClientPlanId)
            .Put("client_rate_schedule_id", schedule.ClientRateScheduleId)
            .Put("master_plan_instance_no", i.MasterPlanInstanceNo)
            .Put("parent_plan_instance_no", i.ParentPlanInstanceNo);
    }

    public static JsonObject GetClientPlansBasic(CallContext ctx)
    {
        var plans = ctx.State.Plans.AsEnumerable();
        var planNo = ctx.Input.Long("plan_no");
        var clientPlanId = ctx.Input.NonEmpty("client_plan_id");
        if (planNo is not null)
        {
            plans = plans.Where(p => p.PlanNo == planNo);
        }
        else if (clientPlanId is not null)
        {
            plans = plans.Where(p => p.ClientPlanId == clientPlanId);
        }

        return CallContext.Ok().Put("plan_details", Json.Array(plans, PlanRow));
    }

    private static JsonObject PlanRow(Plan p) => new JsonObject()
        .Put("plan_no", p.PlanNo)
        .Put("plan_name", p.Name)
        .Put("plan_desc", p.Description)
        .Put("supp_plan_ind", p.IsSupplemental ? 1 : 0)
        .Put("billing_ind", 1)
        .Put("display_ind", p.Displayed ? 1 : 0)
        .Put("currency_cd", p.DefaultSchedule.Currency)
        .Put("client_plan_id", p.ClientPlanId)
        .Put("plan_rate_schedules_details", Json.Array(p.RateSchedules, ScheduleRow));

    private static JsonObject ScheduleRow(RateSchedule r) => new JsonObject()
        .Put("schedule_no", r.ScheduleNo)
        .Put("client_rate_schedule_id", r.ClientRateScheduleId)
        .Put("schedule_name", r.Name)
        .Put("schedule_currency", r.Currency)
        .Put("recurring_billing_interval", r.IntervalMonths)
        .Put("usage_billing_interval", r.IntervalMonths)
        .Put("default_ind", r.IsDefault ? 1 : 0);

    /// <summary>
    /// Without an instance: master plans the account may switch to or add. With one: the
    /// supplemental plans that may sit under it. Hidden plans are listed with <c>display_ind=0</c>,
    /// as Aria does; hiding them is the bot's business rule. Which plans Aria lists here beyond the
    /// parent/child links is unverified against Aria.
    /// </summary>
    public static JsonObject GetAvailPlansForAcct(CallContext ctx)
    {
        var account = ctx.Account();
        var instanceNo = ctx.Input.Long("plan_instance_no");
        var clientInstanceId = ctx.Input.NonEmpty("client_plan_instance_id");
        PlanInstance? parent = null;
        if (instanceNo is not null || clientInstanceId is not null)
        {
            parent = ctx.State.InstancesOf(account.AcctNo).FirstOrDefault(i => instanceNo is not null ? i.PlanInstanceNo == instanceNo : i.ClientPlanInstanceId == clientInstanceId)
                ?? throw new AriaFault(instanceNo is not null ? AriaCodes.InvalidPlanInstanceNo : AriaCodes.InvalidClientPlanInstanceId, "invalid plan instance");
        }

        var plans = parent is null
            ? ctx.State.Plans.Where(p => !p.IsSupplemental)
            : ctx.State.Plans.Where(p => p.IsSupplemental && p.ParentPlanNos.Contains(parent.PlanNo));
        return CallContext.Ok().Put("all_client_avail_plans", Json.Array(plans, p => new JsonObject()
            .Put("parent_plan_instance_no", parent?.PlanInstanceNo)
            .Put("parent_client_plan_instance_id", parent?.ClientPlanInstanceId)
            .Put("plan_no", p.PlanNo)
            .Put("client_plan_id", p.ClientPlanId)
            .Put("plan_name", p.Name)
            .Put("plan_desc", p.Description)
            .Put("billing_ind", 1)
            .Put("display_ind", p.Displayed ? 1 : 0)
            .Put("currency_cd", p.DefaultSchedule.Currency)
            .Put("plan_rate_schedules_details", Json.Array(p.RateSchedules, ScheduleRow))));
    }

    public static JsonObject GetRateSchedulesForPlan(CallContext ctx)
    {
        var plan = ctx.State.FindPlan(ctx.Input.Long("plan_no"), ctx.Input.NonEmpty("client_plan_id"))
            ?? throw new AriaFault(AriaCodes.InvalidInput, "invalid plan number");
        var currency = ctx.Input.NonEmpty("currency_cd");
        var schedules = plan.RateSchedules.Where(r => currency is null || string.Equals(r.Currency, currency, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.IsDefault);
        return CallContext.Ok().Put("rate_scheds", Json.Array(schedules, r => new JsonObject()
            .Put("schedule_no", r.ScheduleNo)
            .Put("schedule_name", r.Name)
            .Put("schedule_currency", r.Currency)
            .Put("recurring_billing_interval", r.IntervalMonths)
            .Put("usage_billing_interval", r.IntervalMonths)
            .Put("default_ind", r.IsDefault ? 1 : 0)
            .Put("display_ind", 1)
            .Put("client_rate_schedule_id", r.ClientRateScheduleId)));
    }
}
