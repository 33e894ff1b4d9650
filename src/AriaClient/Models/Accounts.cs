using System.Text.Json.Serialization;

namespace Aria.Client.Models;

/// <summary><c>get_acct_details_all_m</c>: the account, its contact, plans and payment methods.</summary>
public sealed class GetAcctDetailsAllMRequest() : AriaRequest("get_acct_details_all_m")
{
    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }

    [JsonPropertyName("client_acct_id")]
    public string? ClientAcctId { get; set; }

    /// <summary>0/1; Aria's default is 1.</summary>
    [JsonPropertyName("include_master_plans")]
    public int? IncludeMasterPlans { get; set; }

    [JsonPropertyName("include_supp_plans")]
    public int? IncludeSuppPlans { get; set; }

    [JsonPropertyName("include_billing_groups")]
    public int? IncludeBillingGroups { get; set; }

    [JsonPropertyName("include_payment_methods")]
    public int? IncludePaymentMethods { get; set; }
}

public sealed class GetAcctDetailsAllMResponse : AriaResponse
{
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    /// <summary>Aria's spelling: <c>userid</c> here, <c>user_id</c> elsewhere.</summary>
    [JsonPropertyName("userid")] public string? Userid { get; set; }
    [JsonPropertyName("first_name")] public string? FirstName { get; set; }
    [JsonPropertyName("middle_initial")] public string? MiddleInitial { get; set; }
    [JsonPropertyName("last_name")] public string? LastName { get; set; }
    [JsonPropertyName("company_name")] public string? CompanyName { get; set; }
    [JsonPropertyName("address1")] public string? Address1 { get; set; }
    [JsonPropertyName("address2")] public string? Address2 { get; set; }
    [JsonPropertyName("address3")] public string? Address3 { get; set; }
    [JsonPropertyName("city")] public string? City { get; set; }
    [JsonPropertyName("locality")] public string? Locality { get; set; }
    [JsonPropertyName("state_prov")] public string? StateProv { get; set; }
    [JsonPropertyName("country_cd")] public string? CountryCd { get; set; }
    [JsonPropertyName("postal_cd")] public string? PostalCd { get; set; }
    [JsonPropertyName("phone")] public string? Phone { get; set; }
    [JsonPropertyName("cell_phone")] public string? CellPhone { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("birthdate")] public string? Birthdate { get; set; }
    [JsonPropertyName("status_cd")] public long? StatusCd { get; set; }
    [JsonPropertyName("notify_method")] public long? NotifyMethod { get; set; }
    [JsonPropertyName("acct_start_date")] public string? AcctStartDate { get; set; }
    [JsonPropertyName("acct_currency")] public string? AcctCurrency { get; set; }
    [JsonPropertyName("acct_balance")] public decimal? AcctBalance { get; set; }
    [JsonPropertyName("master_plan_count")] public long? MasterPlanCount { get; set; }
    [JsonPropertyName("supp_plan_count")] public long? SuppPlanCount { get; set; }
    [JsonPropertyName("billing_groups_info")] public List<BillingGroupsInfo>? BillingGroupsInfo { get; set; }
    [JsonPropertyName("payment_methods_info")] public List<PaymentMethodsInfo>? PaymentMethodsInfo { get; set; }
    [JsonPropertyName("master_plans_info")] public List<MasterPlansInfo>? MasterPlansInfo { get; set; }
    [JsonPropertyName("acct_no_2")] public long? AcctNo2 { get; set; }
}

public sealed class BillingGroupsInfo
{
    [JsonPropertyName("billing_group_no")] public long? BillingGroupNo { get; set; }
    [JsonPropertyName("billing_group_name")] public string? BillingGroupName { get; set; }
    [JsonPropertyName("client_def_billing_group_id")] public string? ClientDefBillingGroupId { get; set; }
    [JsonPropertyName("primary_payment_method_no")] public long? PrimaryPaymentMethodNo { get; set; }
    [JsonPropertyName("backup_payment_method_no")] public long? BackupPaymentMethodNo { get; set; }
}

public sealed class PaymentMethodsInfo
{
    [JsonPropertyName("billing_group_no")] public long? BillingGroupNo { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("pay_method_name")] public string? PayMethodName { get; set; }
    [JsonPropertyName("pay_method_type")] public long? PayMethodType { get; set; }
    /// <summary>The last four digits; Aria never returns a full card number.</summary>
    [JsonPropertyName("suffix")] public string? Suffix { get; set; }
    [JsonPropertyName("cc_expire_mm")] public long? CcExpireMm { get; set; }
    [JsonPropertyName("cc_expire_yyyy")] public long? CcExpireYyyy { get; set; }
    [JsonPropertyName("cc_type")] public string? CcType { get; set; }
}

public sealed class MasterPlansInfo
{
    [JsonPropertyName("master_plan_instance_no")] public long? MasterPlanInstanceNo { get; set; }
    [JsonPropertyName("client_master_plan_instance_id")] public string? ClientMasterPlanInstanceId { get; set; }
    [JsonPropertyName("client_master_plan_id")] public string? ClientMasterPlanId { get; set; }
    [JsonPropertyName("master_plan_no")] public long? MasterPlanNo { get; set; }
    [JsonPropertyName("billing_group_no")] public long? BillingGroupNo { get; set; }
    [JsonPropertyName("master_plan_instance_status")] public long? MasterPlanInstanceStatus { get; set; }
    [JsonPropertyName("mp_instance_status_label")] public string? MpInstanceStatusLabel { get; set; }
    [JsonPropertyName("master_plan_units")] public long? MasterPlanUnits { get; set; }
    [JsonPropertyName("alt_rate_schedule_no")] public long? AltRateScheduleNo { get; set; }
    [JsonPropertyName("bill_day")] public long? BillDay { get; set; }
    [JsonPropertyName("last_bill_date")] public string? LastBillDate { get; set; }
    [JsonPropertyName("last_bill_thru_date")] public string? LastBillThruDate { get; set; }
    [JsonPropertyName("next_bill_date")] public string? NextBillDate { get; set; }
    [JsonPropertyName("plan_date")] public string? PlanDate { get; set; }
    [JsonPropertyName("master_plan_instance_balance")] public decimal? MasterPlanInstanceBalance { get; set; }
    [JsonPropertyName("recurring_billing_interval")] public long? RecurringBillingInterval { get; set; }
    [JsonPropertyName("supp_plans_info")] public List<SuppPlansInfo>? SuppPlansInfo { get; set; }
}

public sealed class SuppPlansInfo
{
    [JsonPropertyName("supp_plan_instance_no")] public long? SuppPlanInstanceNo { get; set; }
    [JsonPropertyName("client_supp_plan_instance_id")] public string? ClientSuppPlanInstanceId { get; set; }
    [JsonPropertyName("supp_plan_no")] public long? SuppPlanNo { get; set; }
    [JsonPropertyName("client_supp_plan_id")] public string? ClientSuppPlanId { get; set; }
    /// <summary>A number in the Swagger although units are whole elsewhere.</summary>
    [JsonPropertyName("supp_plan_units")] public decimal? SuppPlanUnits { get; set; }
    [JsonPropertyName("next_bill_date")] public string? NextBillDate { get; set; }
    [JsonPropertyName("supp_plan_instance_status_cd")] public long? SuppPlanInstanceStatusCd { get; set; }
    [JsonPropertyName("supp_plan_instance_status")] public string? SuppPlanInstanceStatus { get; set; }
    [JsonPropertyName("parent_plan_instance_no")] public long? ParentPlanInstanceNo { get; set; }
}

/// <summary><c>get_acct_plans_m</c>: the account's plan instances, masters and supplementals.</summary>
public sealed class GetAcctPlansMRequest() : AriaRequest("get_acct_plans_m")
{
    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }

    [JsonPropertyName("client_acct_id")]
    public string? ClientAcctId { get; set; }
}

public sealed class GetAcctPlansMResponse : AriaResponse
{
    [JsonPropertyName("acct_plans_m")]
    public List<AcctPlansM>? AcctPlansM { get; set; }
}

public sealed class AcctPlansM
{
    [JsonPropertyName("plan_no")] public long? PlanNo { get; set; }
    [JsonPropertyName("plan_name")] public string? PlanName { get; set; }
    [JsonPropertyName("plan_desc")] public string? PlanDesc { get; set; }
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("plan_date")] public string? PlanDate { get; set; }
    [JsonPropertyName("plan_units")] public long? PlanUnits { get; set; }
    [JsonPropertyName("last_bill_date")] public string? LastBillDate { get; set; }
    [JsonPropertyName("next_bill_date")] public string? NextBillDate { get; set; }
    [JsonPropertyName("bill_thru_date")] public string? BillThruDate { get; set; }
    [JsonPropertyName("bill_day")] public long? BillDay { get; set; }
    [JsonPropertyName("recurring_billing_interval")] public long? RecurringBillingInterval { get; set; }
    [JsonPropertyName("display_ind")] public long? DisplayInd { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("rate_schedule_no")] public long? RateScheduleNo { get; set; }
    [JsonPropertyName("rate_schedule_name")] public string? RateScheduleName { get; set; }
    /// <summary>1 = supplemental plan.</summary>
    [JsonPropertyName("supp_plan_ind")] public long? SuppPlanInd { get; set; }
    [JsonPropertyName("plan_instance_status_cd")] public long? PlanInstanceStatusCd { get; set; }
    [JsonPropertyName("plan_instance_status_label")] public string? PlanInstanceStatusLabel { get; set; }
    [JsonPropertyName("client_plan_id")] public string? ClientPlanId { get; set; }
    [JsonPropertyName("master_plan_instance_no")] public long? MasterPlanInstanceNo { get; set; }
    [JsonPropertyName("parent_plan_instance_no")] public long? ParentPlanInstanceNo { get; set; }
}

/// <summary><c>get_client_plans_basic_m</c>: the client's plan catalog.</summary>
public sealed class GetClientPlansBasicMRequest() : AriaRequest("get_client_plans_basic_m")
{
    [JsonPropertyName("plan_no")]
    public long? PlanNo { get; set; }

    [JsonPropertyName("client_plan_id")]
    public string? ClientPlanId { get; set; }
}

public sealed class GetClientPlansBasicMResponse : AriaResponse
{
    [JsonPropertyName("plan_details")]
    public List<PlanDetail>? PlanDetails { get; set; }
}

public sealed class PlanDetail
{
    [JsonPropertyName("plan_no")] public long? PlanNo { get; set; }
    [JsonPropertyName("plan_name")] public string? PlanName { get; set; }
    [JsonPropertyName("plan_desc")] public string? PlanDesc { get; set; }
    [JsonPropertyName("supp_plan_ind")] public long? SuppPlanInd { get; set; }
    [JsonPropertyName("billing_ind")] public long? BillingInd { get; set; }
    /// <summary>0 = hidden from customers (for example the default master plan).</summary>
    [JsonPropertyName("display_ind")] public long? DisplayInd { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("client_plan_id")] public string? ClientPlanId { get; set; }
    [JsonPropertyName("plan_rate_schedules_details")] public List<PlanRateSchedulesDetail>? PlanRateSchedulesDetails { get; set; }
}

public sealed class PlanRateSchedulesDetail
{
    [JsonPropertyName("schedule_no")] public long? ScheduleNo { get; set; }
    [JsonPropertyName("client_rate_schedule_id")] public string? ClientRateScheduleId { get; set; }
    [JsonPropertyName("schedule_name")] public string? ScheduleName { get; set; }
    [JsonPropertyName("schedule_currency")] public string? ScheduleCurrency { get; set; }
    [JsonPropertyName("recurring_billing_interval")] public long? RecurringBillingInterval { get; set; }
    [JsonPropertyName("default_ind")] public long? DefaultInd { get; set; }
}

/// <summary><c>get_avail_plans_for_acct_m</c>: plans this account may take (under an instance when given).</summary>
public sealed class GetAvailPlansForAcctMRequest() : AriaRequest("get_avail_plans_for_acct_m")
{
    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }

    [JsonPropertyName("plan_instance_no")]
    public long? PlanInstanceNo { get; set; }

    [JsonPropertyName("client_plan_instance_id")]
    public string? ClientPlanInstanceId { get; set; }
}

public sealed class GetAvailPlansForAcctMResponse : AriaResponse
{
    [JsonPropertyName("all_client_avail_plans")]
    public List<AllClientAvailPlan>? AllClientAvailPlans { get; set; }
}

public sealed class AllClientAvailPlan
{
    [JsonPropertyName("parent_plan_instance_no")] public long? ParentPlanInstanceNo { get; set; }
    [JsonPropertyName("plan_no")] public long? PlanNo { get; set; }
    [JsonPropertyName("client_plan_id")] public string? ClientPlanId { get; set; }
    [JsonPropertyName("plan_name")] public string? PlanName { get; set; }
    [JsonPropertyName("plan_desc")] public string? PlanDesc { get; set; }
    [JsonPropertyName("billing_ind")] public long? BillingInd { get; set; }
    [JsonPropertyName("display_ind")] public long? DisplayInd { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("plan_rate_schedules_details")] public List<PlanRateSchedulesDetail>? PlanRateSchedulesDetails { get; set; }
}

/// <summary><c>get_rate_schedules_for_plan_m</c>: a plan's rate schedules, the default first.</summary>
public sealed class GetRateSchedulesForPlanMRequest() : AriaRequest("get_rate_schedules_for_plan_m")
{
    [JsonPropertyName("plan_no")]
    public long? PlanNo { get; set; }

    [JsonPropertyName("client_plan_id")]
    public string? ClientPlanId { get; set; }

    [JsonPropertyName("currency_cd")]
    public string? CurrencyCd { get; set; }
}

public sealed class GetRateSchedulesForPlanMResponse : AriaResponse
{
    [JsonPropertyName("rate_scheds")]
    public List<RateSched>? RateScheds { get; set; }
}

public sealed class RateSched
{
    [JsonPropertyName("schedule_no")] public long? ScheduleNo { get; set; }
    [JsonPropertyName("schedule_name")] public string? ScheduleName { get; set; }
    [JsonPropertyName("schedule_currency")] public string? ScheduleCurrency { get; set; }
    [JsonPropertyName("recurring_billing_interval")] public long? RecurringBillingInterval { get; set; }
    [JsonPropertyName("default_ind")] public long? DefaultInd { get; set; }
    [JsonPropertyName("display_ind")] public long? DisplayInd { get; set; }
    [JsonPropertyName("client_rate_schedule_id")] public string? ClientRateScheduleId { get; set; }
}
