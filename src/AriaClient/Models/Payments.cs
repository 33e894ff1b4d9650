using System.Text.Json.Serialization;
using Aria.Client.Serialization;

namespace Aria.Client.Models;

/// <summary>Processor detail that payment replies share.</summary>
public abstract class PaymentResponse : AriaResponse
{
    [JsonPropertyName("transaction_id")] public long? TransactionId { get; set; }
    [JsonPropertyName("proc_status_code")] public string? ProcStatusCode { get; set; }
    [JsonPropertyName("proc_status_text")] public string? ProcStatusText { get; set; }
    [JsonPropertyName("proc_payment_id")] public string? ProcPaymentId { get; set; }
    [JsonPropertyName("proc_auth_code")] public string? ProcAuthCode { get; set; }
    [JsonPropertyName("collection_errors")] public List<CollectionError>? CollectionErrors { get; set; }
}

public sealed class CollectionError
{
    [JsonPropertyName("collection_error_code")] public long? CollectionErrorCode { get; set; }
    [JsonPropertyName("collection_error_msg")] public string? CollectionErrorMsg { get; set; }
}

/// <summary>
/// <c>collect_from_account_m</c>: the one-time payment. Charges the method on file (or
/// <see cref="PaymentMethodNo"/>). The one-time-card fields exist for completeness; the bot takes
/// card data only on a secure page.
/// </summary>
public sealed class CollectFromAccountMRequest() : AriaRequest("collect_from_account_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("amount_to_collect")] public decimal? AmountToCollect { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("client_payment_method_id")] public string? ClientPaymentMethodId { get; set; }
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }
    /// <summary>1 = charge the one-time card below instead of the method on file.</summary>
    [JsonPropertyName("alt_pay_method")] public long? AltPayMethod { get; set; }
    [JsonPropertyName("cc_number")] public string? CcNumber { get; set; }
    [JsonPropertyName("cc_expire_mm")] public long? CcExpireMm { get; set; }
    [JsonPropertyName("cc_expire_yyyy")] public long? CcExpireYyyy { get; set; }
    [JsonPropertyName("cvv")] public string? Cvv { get; set; }
    /// <summary>1 FIFO (default), 2 FDFO, 3 none.</summary>
    [JsonPropertyName("payment_application_method")] public long? PaymentApplicationMethod { get; set; }
    [JsonPropertyName("specific_invoices_list")] public List<SpecificInvoicesList>? SpecificInvoicesList { get; set; }
    [JsonPropertyName("alt_caller_id")] public string? AltCallerId { get; set; }
}

public sealed class SpecificInvoicesList
{
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
}

public sealed class CollectFromAccountMResponse : PaymentResponse;

/// <summary><c>settle_account_balance_m</c>: "pay it all" — collects the whole balance (4003 when zero).</summary>
public sealed class SettleAccountBalanceMRequest() : AriaRequest("settle_account_balance_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("master_plan_instance_no")] public long? MasterPlanInstanceNo { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }
    [JsonPropertyName("alt_caller_id")] public string? AltCallerId { get; set; }
}

public sealed class SettleAccountBalanceMResponse : PaymentResponse;

/// <summary><c>get_acct_payment_methods_and_terms_m</c>.</summary>
public sealed class GetAcctPaymentMethodsAndTermsMRequest() : AriaRequest("get_acct_payment_methods_and_terms_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("filter_status")] public long? FilterStatus { get; set; }
}

public sealed class GetAcctPaymentMethodsAndTermsMResponse : AriaResponse
{
    [JsonPropertyName("account_payment_methods")] public List<AccountPaymentMethod>? AccountPaymentMethods { get; set; }
    [JsonPropertyName("account_payment_terms")] public List<AccountPaymentTerm>? AccountPaymentTerms { get; set; }
}

public sealed class AccountPaymentMethod
{
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("client_payment_method_id")] public string? ClientPaymentMethodId { get; set; }
    [JsonPropertyName("pay_method_name")] public string? PayMethodName { get; set; }
    [JsonPropertyName("pay_method_type")] public long? PayMethodType { get; set; }
    [JsonPropertyName("suffix")] public string? Suffix { get; set; }
    [JsonPropertyName("cc_expire_mm")] public long? CcExpireMm { get; set; }
    [JsonPropertyName("cc_expire_yyyy")] public long? CcExpireYyyy { get; set; }
    [JsonPropertyName("cc_type")] public string? CcType { get; set; }
    /// <summary>1 active, 0 disabled.</summary>
    [JsonPropertyName("status")] public long? Status { get; set; }
    [JsonPropertyName("bill_first_name")] public string? BillFirstName { get; set; }
    [JsonPropertyName("bill_last_name")] public string? BillLastName { get; set; }
    [JsonPropertyName("bill_email")] public string? BillEmail { get; set; }
}

public sealed class AccountPaymentTerm
{
    [JsonPropertyName("payment_terms_no")] public long? PaymentTermsNo { get; set; }
    [JsonPropertyName("payment_terms_name")] public string? PaymentTermsName { get; set; }
    [JsonPropertyName("payment_terms_type")] public string? PaymentTermsType { get; set; }
}

/// <summary>
/// <c>update_payment_method_m</c>: replaces or adds a payment method. Only the secure payment
/// page may fill <see cref="CcNum"/>; Aria keeps the last four digits for display.
/// </summary>
public sealed class UpdatePaymentMethodMRequest() : AriaRequest("update_payment_method_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
    [JsonPropertyName("client_payment_method_id")] public string? ClientPaymentMethodId { get; set; }
    /// <summary>1 disables the existing method, permanently.</summary>
    [JsonPropertyName("disabled_ind")] public long? DisabledInd { get; set; }
    [JsonPropertyName("bill_contact_no")] public long? BillContactNo { get; set; }
    [JsonPropertyName("bill_first_name")] public string? BillFirstName { get; set; }
    [JsonPropertyName("bill_last_name")] public string? BillLastName { get; set; }
    [JsonPropertyName("bill_address1")] public string? BillAddress1 { get; set; }
    [JsonPropertyName("bill_city")] public string? BillCity { get; set; }
    [JsonPropertyName("bill_state_prov")] public string? BillStateProv { get; set; }
    [JsonPropertyName("bill_country")] public string? BillCountry { get; set; }
    [JsonPropertyName("bill_postal_cd")] public string? BillPostalCd { get; set; }
    [JsonPropertyName("bill_email")] public string? BillEmail { get; set; }
    [JsonPropertyName("pay_method_name")] public string? PayMethodName { get; set; }
    /// <summary>1 credit card, 2 electronic check (bank account).</summary>
    [JsonPropertyName("pay_method_type")] public long? PayMethodType { get; set; }
    [JsonPropertyName("cc_num")] public string? CcNum { get; set; }
    [JsonPropertyName("cc_expire_mm")] public long? CcExpireMm { get; set; }
    [JsonPropertyName("cc_expire_yyyy")] public long? CcExpireYyyy { get; set; }
    [JsonPropertyName("cvv")] public string? Cvv { get; set; }
    [JsonPropertyName("bank_acct_num")] public string? BankAcctNum { get; set; }
    [JsonPropertyName("bank_routing_num")] public string? BankRoutingNum { get; set; }

    [JsonPropertyName("do_collect")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? DoCollect { get; set; }

    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }

    /// <summary>Aria's default is true: the replaced method is disabled.</summary>
    [JsonPropertyName("disable_existing_on_update")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? DisableExistingOnUpdate { get; set; }

    [JsonPropertyName("alt_caller_id")] public string? AltCallerId { get; set; }
}

public sealed class UpdatePaymentMethodMResponse : AriaResponse
{
    /// <summary>The payment method number Aria gave the new method.</summary>
    [JsonPropertyName("seq_no")] public long? SeqNo { get; set; }
    [JsonPropertyName("collection_info")] public List<CollectionInfo>? CollectionInfo { get; set; }
    [JsonPropertyName("bill_contact_no_2")] public long? BillContactNo2 { get; set; }
}

public sealed class CollectionInfo
{
    [JsonPropertyName("collection_error_code")] public long? CollectionErrorCode { get; set; }
    [JsonPropertyName("collection_error_msg")] public string? CollectionErrorMsg { get; set; }
    [JsonPropertyName("bill_group_no")] public long? BillGroupNo { get; set; }
    [JsonPropertyName("proc_status_code")] public string? ProcStatusCode { get; set; }
    [JsonPropertyName("proc_status_text")] public string? ProcStatusText { get; set; }
}

/// <summary><c>get_acct_payment_history_m</c>.</summary>
public sealed class GetAcctPaymentHistoryMRequest() : AriaRequest("get_acct_payment_history_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }

    [JsonPropertyName("start_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? StartDate { get; set; }

    [JsonPropertyName("end_date")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EndDate { get; set; }

    [JsonPropertyName("limit_records")] public long? LimitRecords { get; set; }
}

public sealed class GetAcctPaymentHistoryMResponse : AriaResponse
{
    [JsonPropertyName("acct_payment_history")] public List<AcctPaymentHistory>? AcctPaymentHistory { get; set; }
}

public sealed class AcctPaymentHistory
{
    [JsonPropertyName("transaction_id")] public long? TransactionId { get; set; }
    [JsonPropertyName("payment_source")] public string? PaymentSource { get; set; }
    [JsonPropertyName("payment_status")] public string? PaymentStatus { get; set; }
    [JsonPropertyName("payment_date")] public string? PaymentDate { get; set; }
    [JsonPropertyName("payment_currency")] public string? PaymentCurrency { get; set; }
    [JsonPropertyName("payment_amount")] public decimal? PaymentAmount { get; set; }
    [JsonPropertyName("cc_suffix")] public string? CcSuffix { get; set; }
    [JsonPropertyName("pay_method_type")] public long? PayMethodType { get; set; }
    [JsonPropertyName("payment_method_no")] public long? PaymentMethodNo { get; set; }
}
