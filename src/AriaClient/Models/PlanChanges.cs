using System.Text.Json.Serialization;
using Aria.Client.Serialization;

namespace Aria.Client.Models;

/// <summary>
/// What replace, assign, update and cancel_acct_plan_m share: the account, the preview switch
/// (<c>do_write</c>), the idempotency key (<c>client_receipt_id</c>) and the timing rule
/// (<c>assignment_directive</c>). Send once with <see cref="DoWrite"/> false to preview, then the
/// identical request with true to apply.
/// </summary>
public abstract class PlanChangeRequest(string restCall) : AriaRequest(restCall)
{
    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }

    /// <summary>Sent as the string "true"/"false"; Aria's default is true.</summary>
    [JsonPropertyName("do_write")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? DoWrite { get; set; }

    [JsonPropertyName("client_receipt_id")]
    public string? ClientReceiptId { get; set; }

    /// <summary>1 next anniversary, 2 now by client rule, 3 now without proration, 4 now prorated, 7–9 on <see cref="EffectiveDate"/>.</summary>
    [JsonPropertyName("assignment_directive")]
    public long? AssignmentDirective { get; set; }

    [JsonPropertyName("comments")]
    public string? Comments { get; set; }

    [JsonPropertyName("effective_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EffectiveDate { get; set; }

    [JsonPropertyName("offset_interval")]
    public long? OffsetInterval { get; set; }

    [JsonPropertyName("proration_invoice_timing")]
    public long? ProrationInvoiceTiming { get; set; }

    [JsonPropertyName("include_plan_instance_queue")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? IncludePlanInstanceQueue { get; set; }

    [JsonPropertyName("alt_caller_id")]
    public string? AltCallerId { get; set; }
}

public sealed class CouponCode
{
    [JsonPropertyName("coupon_codes")]
    public string? CouponCodes { get; set; }
}

/// <summary><c>replace_acct_plan_m</c>: switches the plan on an instance (master or supplemental).</summary>
public sealed class ReplaceAcctPlanMRequest() : PlanChangeRequest("replace_acct_plan_m")
{
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("new_plan_no")] public long? NewPlanNo { get; set; }
    [JsonPropertyName("new_client_plan_id")] public string? NewClientPlanId { get; set; }
    [JsonPropertyName("alt_rate_schedule_no")] public long? AltRateScheduleNo { get; set; }
    [JsonPropertyName("plan_units")] public decimal? PlanUnits { get; set; }
    [JsonPropertyName("coupon_codes")] public List<CouponCode>? CouponCodes { get; set; }
    [JsonPropertyName("promo_cd")] public string? PromoCd { get; set; }

    [JsonPropertyName("alt_proration_start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? AltProrationStartDate { get; set; }

    [JsonPropertyName("force_master_bill_date_reset")] public long? ForceMasterBillDateReset { get; set; }
    [JsonPropertyName("force_bill_date_reset")] public long? ForceBillDateReset { get; set; }
}

/// <summary><c>assign_acct_plan_m</c>: adds a plan; a supplemental plan names its parent instance.</summary>
public sealed class AssignAcctPlanMRequest() : PlanChangeRequest("assign_acct_plan_m")
{
    [JsonPropertyName("new_plan_no")] public long? NewPlanNo { get; set; }
    [JsonPropertyName("new_client_plan_id")] public string? NewClientPlanId { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("parent_plan_instance_no")] public long? ParentPlanInstanceNo { get; set; }
    [JsonPropertyName("client_parent_plan_instance_id")] public string? ClientParentPlanInstanceId { get; set; }
    [JsonPropertyName("existing_billing_group_no")] public long? ExistingBillingGroupNo { get; set; }
    [JsonPropertyName("alt_rate_schedule_no")] public long? AltRateScheduleNo { get; set; }
    [JsonPropertyName("plan_units")] public decimal? PlanUnits { get; set; }
    [JsonPropertyName("coupon_codes")] public List<CouponCode>? CouponCodes { get; set; }
    [JsonPropertyName("promo_cd")] public string? PromoCd { get; set; }

    [JsonPropertyName("alt_proration_start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? AltProrationStartDate { get; set; }

    [JsonPropertyName("invoicing_option")] public long? InvoicingOption { get; set; }
    [JsonPropertyName("force_master_bill_date_reset")] public long? ForceMasterBillDateReset { get; set; }
}

/// <summary><c>update_acct_plan_m</c>: changes units, rate schedule or status of an instance.</summary>
public sealed class UpdateAcctPlanMRequest() : PlanChangeRequest("update_acct_plan_m")
{
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("alt_rate_schedule_no")] public long? AltRateScheduleNo { get; set; }
    [JsonPropertyName("plan_units")] public decimal? PlanUnits { get; set; }
    [JsonPropertyName("coupon_codes")] public List<CouponCode>? CouponCodes { get; set; }
    [JsonPropertyName("plan_status")] public long? PlanStatus { get; set; }
    [JsonPropertyName("plan_instance_description")] public string? PlanInstanceDescription { get; set; }
}

/// <summary><c>cancel_acct_plan_m</c>: cancels an instance and its children.</summary>
public sealed class CancelAcctPlanMRequest() : PlanChangeRequest("cancel_acct_plan_m")
{
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }

    [JsonPropertyName("alt_proration_start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? AltProrationStartDate { get; set; }

    [JsonPropertyName("invoice_unbilled_usage")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? InvoiceUnbilledUsage { get; set; }
}

/// <summary>The preview/result fields all four plan-change calls return.</summary>
public abstract class PlanChangeResponse : AriaResponse
{
    /// <summary>Positive is a charge, negative a credit; 0 when nothing is prorated.</summary>
    [JsonPropertyName("proration_result_amount")] public decimal? ProrationResultAmount { get; set; }
    /// <summary>Empty on a preview.</summary>
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
    [JsonPropertyName("acct_plan_line_items")] public List<AcctPlanLineItem>? AcctPlanLineItems { get; set; }
    [JsonPropertyName("total_charges_before_tax")] public decimal? TotalChargesBeforeTax { get; set; }
    [JsonPropertyName("total_tax_charges")] public decimal? TotalTaxCharges { get; set; }
    [JsonPropertyName("total_charges_after_tax")] public decimal? TotalChargesAfterTax { get; set; }
    [JsonPropertyName("total_credit")] public decimal? TotalCredit { get; set; }
    [JsonPropertyName("total_tax_credit")] public decimal? TotalTaxCredit { get; set; }
    [JsonPropertyName("total_credit_before_tax")] public decimal? TotalCreditBeforeTax { get; set; }
    [JsonPropertyName("total")] public decimal? Total { get; set; }
    [JsonPropertyName("proration_credit_result_amount")] public decimal? ProrationCreditResultAmount { get; set; }
    [JsonPropertyName("proration_credit_amount")] public decimal? ProrationCreditAmount { get; set; }
    [JsonPropertyName("proration_tax_amount")] public decimal? ProrationTaxAmount { get; set; }
    [JsonPropertyName("plan_instance_queue")] public List<PlanInstanceQueue>? PlanInstanceQueue { get; set; }
}

/// <summary>Replace, assign and update add the expected recurring costs and any collection outcome.</summary>
public abstract class ProratedPlanChangeResponse : PlanChangeResponse
{
    [JsonPropertyName("collection_error_code")] public long? CollectionErrorCode { get; set; }
    [JsonPropertyName("collection_error_msg")] public string? CollectionErrorMsg { get; set; }
    [JsonPropertyName("statement_error_code")] public long? StatementErrorCode { get; set; }
    [JsonPropertyName("statement_error_msg")] public string? StatementErrorMsg { get; set; }
    [JsonPropertyName("proc_status_code")] public string? ProcStatusCode { get; set; }
    [JsonPropertyName("proc_status_text")] public string? ProcStatusText { get; set; }
    /// <summary>Aria's spelling ("expectd").</summary>
    [JsonPropertyName("expectd_activation_fee")] public decimal? ExpectdActivationFee { get; set; }
    [JsonPropertyName("expectd_mthly_recurring_cost")] public decimal? ExpectdMthlyRecurringCost { get; set; }
    [JsonPropertyName("expectd_annu_recurring_cost")] public decimal? ExpectdAnnuRecurringCost { get; set; }
}

public sealed class ReplaceAcctPlanMResponse : ProratedPlanChangeResponse;

public sealed class AssignAcctPlanMResponse : ProratedPlanChangeResponse
{
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
}

public sealed class UpdateAcctPlanMResponse : ProratedPlanChangeResponse;

public sealed class CancelAcctPlanMResponse : PlanChangeResponse;

public sealed class AcctPlanLineItem
{
    [JsonPropertyName("line_no")] public long? LineNo { get; set; }
    [JsonPropertyName("line_type")] public long? LineType { get; set; }
    [JsonPropertyName("service_no")] public long? ServiceNo { get; set; }
    [JsonPropertyName("service_name")] public string? ServiceName { get; set; }
    [JsonPropertyName("line_units")] public decimal? LineUnits { get; set; }
    [JsonPropertyName("rate_per_unit")] public decimal? RatePerUnit { get; set; }
    [JsonPropertyName("line_amount")] public decimal? LineAmount { get; set; }
    [JsonPropertyName("line_base_units")] public decimal? LineBaseUnits { get; set; }
    [JsonPropertyName("proration_factor")] public decimal? ProrationFactor { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("date_range_start")] public string? DateRangeStart { get; set; }
    [JsonPropertyName("date_range_end")] public string? DateRangeEnd { get; set; }
    [JsonPropertyName("plan_no")] public long? PlanNo { get; set; }
    [JsonPropertyName("plan_name")] public string? PlanName { get; set; }
    [JsonPropertyName("client_plan_id")] public string? ClientPlanId { get; set; }
}

public sealed class PlanInstanceQueue
{
    [JsonPropertyName("queue_id")] public long? QueueId { get; set; }
    [JsonPropertyName("queue_type_ind")] public long? QueueTypeInd { get; set; }
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
}
