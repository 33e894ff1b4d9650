using System.Text.Json.Serialization;
using Aria.Client.Serialization;

namespace Aria.Client.Models;

/// <summary><c>get_acct_statement_history_m</c>.</summary>
public sealed class GetAcctStatementHistoryMRequest() : AriaRequest("get_acct_statement_history_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }

    [JsonPropertyName("start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? StartDate { get; set; }

    [JsonPropertyName("end_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EndDate { get; set; }
}

public sealed class GetAcctStatementHistoryMResponse : AriaResponse
{
    [JsonPropertyName("statements_history")] public List<StatementsHistory>? StatementsHistory { get; set; }
}

public sealed class StatementsHistory
{
    [JsonPropertyName("statement_no")] public long? StatementNo { get; set; }
    [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("due_date")] public string? DueDate { get; set; }
    [JsonPropertyName("new_charges_amount")] public decimal? NewChargesAmount { get; set; }
    [JsonPropertyName("new_payments_amount")] public decimal? NewPaymentsAmount { get; set; }
    [JsonPropertyName("balance_forward_amount")] public decimal? BalanceForwardAmount { get; set; }
    [JsonPropertyName("total_amount")] public decimal? TotalAmount { get; set; }
    [JsonPropertyName("is_paid_ind")] public long? IsPaidInd { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
}

/// <summary><c>get_statement_for_invoice_m</c>: the rendered statement of an invoice.</summary>
public sealed class GetStatementForInvoiceMRequest() : AriaRequest("get_statement_for_invoice_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }

    [JsonPropertyName("do_encoding")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? DoEncoding { get; set; }
}

public sealed class GetStatementForInvoiceMResponse : AriaResponse
{
    [JsonPropertyName("out_statement")] public string? OutStatement { get; set; }
    [JsonPropertyName("mime_type")] public string? MimeType { get; set; }
}

/// <summary><c>get_acct_trans_history_m</c>. Aria's quirk: the account goes in <c>account_no</c>.</summary>
public sealed class GetAcctTransHistoryMRequest() : AriaRequest("get_acct_trans_history_m")
{
    [JsonPropertyName("account_no")] public long? AccountNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("transaction_type")] public long? TransactionType { get; set; }

    [JsonPropertyName("start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? StartDate { get; set; }

    [JsonPropertyName("end_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EndDate { get; set; }

    /// <summary>Default 99, at most 999; newest first.</summary>
    [JsonPropertyName("record_limit")] public long? RecordLimit { get; set; }

    [JsonPropertyName("include_void_transactions")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? IncludeVoidTransactions { get; set; }
}

public sealed class GetAcctTransHistoryMResponse : AriaResponse
{
    [JsonPropertyName("history")] public List<History>? History { get; set; }
}

public sealed class History
{
    [JsonPropertyName("transaction_id")] public long? TransactionId { get; set; }
    /// <summary>1 invoice, 2 check, 3 electronic payment, 10 cash credit, …; negative = voided.</summary>
    [JsonPropertyName("transaction_type")] public long? TransactionType { get; set; }
    [JsonPropertyName("transaction_desc")] public string? TransactionDesc { get; set; }
    [JsonPropertyName("transaction_amount")] public decimal? TransactionAmount { get; set; }
    [JsonPropertyName("transaction_applied_amount")] public decimal? TransactionAppliedAmount { get; set; }
    [JsonPropertyName("transaction_currency")] public string? TransactionCurrency { get; set; }
    [JsonPropertyName("transaction_create_date")] public string? TransactionCreateDate { get; set; }
    [JsonPropertyName("statement_no")] public long? StatementNo { get; set; }
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
}

/// <summary><c>get_invoice_history_m</c>.</summary>
public sealed class GetInvoiceHistoryMRequest() : AriaRequest("get_invoice_history_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }

    [JsonPropertyName("start_bill_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? StartBillDate { get; set; }

    [JsonPropertyName("end_bill_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EndBillDate { get; set; }

    [JsonPropertyName("include_voided")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? IncludeVoided { get; set; }
}

public sealed class GetInvoiceHistoryMResponse : AriaResponse
{
    [JsonPropertyName("invoice_hist")] public List<InvoiceHist>? InvoiceHist { get; set; }
}

public sealed class InvoiceHist
{
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
    [JsonPropertyName("master_plan_no")] public long? MasterPlanNo { get; set; }
    [JsonPropertyName("master_plan_name")] public string? MasterPlanName { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("bill_date")] public string? BillDate { get; set; }
    [JsonPropertyName("paid_date")] public string? PaidDate { get; set; }
    [JsonPropertyName("amount")] public decimal? Amount { get; set; }
    [JsonPropertyName("credit")] public decimal? Credit { get; set; }
    [JsonPropertyName("recurring_bill_from")] public string? RecurringBillFrom { get; set; }
    [JsonPropertyName("recurring_bill_thru")] public string? RecurringBillThru { get; set; }
    [JsonPropertyName("is_voided_ind")] public long? IsVoidedInd { get; set; }
}

/// <summary><c>get_order_m</c>: the account's orders; <c>details_flag=1</c> adds the items.</summary>
public sealed class GetOrderMRequest() : AriaRequest("get_order_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("order_no")] public long? OrderNo { get; set; }
    [JsonPropertyName("client_order_id")] public string? ClientOrderId { get; set; }
    [JsonPropertyName("limit_records")] public long? LimitRecords { get; set; }
    [JsonPropertyName("details_flag")] public long? DetailsFlag { get; set; }
}

public sealed class GetOrderMResponse : AriaResponse
{
    [JsonPropertyName("orders")] public List<Order>? Orders { get; set; }
}

public sealed class Order
{
    [JsonPropertyName("order_no")] public long? OrderNo { get; set; }
    [JsonPropertyName("amount")] public decimal? Amount { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
    [JsonPropertyName("status_label")] public string? StatusLabel { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
    [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
    [JsonPropertyName("update_date")] public string? UpdateDate { get; set; }
    [JsonPropertyName("comments")] public string? Comments { get; set; }
    [JsonPropertyName("client_order_id")] public string? ClientOrderId { get; set; }
    [JsonPropertyName("transaction_id")] public long? TransactionId { get; set; }
    [JsonPropertyName("order_items")] public List<OrderItem>? OrderItems { get; set; }
    [JsonPropertyName("plan_instance_no_2")] public long? PlanInstanceNo2 { get; set; }
}

public sealed class OrderItem
{
    [JsonPropertyName("line_no")] public long? LineNo { get; set; }
    [JsonPropertyName("client_sku")] public string? ClientSku { get; set; }
    [JsonPropertyName("label")] public string? Label { get; set; }
    [JsonPropertyName("long_desc")] public string? LongDesc { get; set; }
    [JsonPropertyName("units")] public decimal? Units { get; set; }
    [JsonPropertyName("unit_amount")] public decimal? UnitAmount { get; set; }
    [JsonPropertyName("line_amount")] public decimal? LineAmount { get; set; }
    [JsonPropertyName("line_comments")] public string? LineComments { get; set; }
}

/// <summary><c>get_invoice_details_m</c>: the lines of one invoice.</summary>
public sealed class GetInvoiceDetailsMRequest() : AriaRequest("get_invoice_details_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
}

public sealed class GetInvoiceDetailsMResponse : AriaResponse
{
    [JsonPropertyName("invoice_line_details")] public List<InvoiceLineDetail>? InvoiceLineDetails { get; set; }
    [JsonPropertyName("from_date")] public string? FromDate { get; set; }
    [JsonPropertyName("to_date")] public string? ToDate { get; set; }
}

public sealed class InvoiceLineDetail
{
    [JsonPropertyName("line_no")] public long? LineNo { get; set; }
    [JsonPropertyName("service_no")] public long? ServiceNo { get; set; }
    [JsonPropertyName("service_name")] public string? ServiceName { get; set; }
    [JsonPropertyName("units")] public decimal? Units { get; set; }
    [JsonPropertyName("rate_per_unit")] public decimal? RatePerUnit { get; set; }
    [JsonPropertyName("amount")] public decimal? Amount { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("date_range_start")] public string? DateRangeStart { get; set; }
    [JsonPropertyName("date_range_end")] public string? DateRangeEnd { get; set; }
    [JsonPropertyName("plan_no")] public long? PlanNo { get; set; }
    [JsonPropertyName("plan_name")] public string? PlanName { get; set; }
    [JsonPropertyName("client_plan_id")] public string? ClientPlanId { get; set; }
    [JsonPropertyName("client_sku")] public string? ClientSku { get; set; }
    [JsonPropertyName("order_no")] public long? OrderNo { get; set; }
    [JsonPropertyName("proration_factor")] public decimal? ProrationFactor { get; set; }
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
}
