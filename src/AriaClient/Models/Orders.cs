using System.Text.Json.Serialization;
using Aria.Client.Serialization;

namespace Aria.Client.Models;

/// <summary><c>get_client_items_all_m</c>: inventory items with their prices.</summary>
public sealed class GetClientItemsAllMRequest() : AriaRequest("get_client_items_all_m")
{
    [JsonPropertyName("filter_currency_cd")] public string? FilterCurrencyCd { get; set; }
    [JsonPropertyName("filter_item_no")] public long? FilterItemNo { get; set; }
    [JsonPropertyName("filter_client_item_id")] public string? FilterClientItemId { get; set; }

    [JsonPropertyName("include_inactive_items")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? IncludeInactiveItems { get; set; }
}

public sealed class GetClientItemsAllMResponse : AriaResponse
{
    [JsonPropertyName("all_client_item_details")] public List<AllClientItemDetail>? AllClientItemDetails { get; set; }
}

public sealed class AllClientItemDetail
{
    [JsonPropertyName("item_no")] public long? ItemNo { get; set; }
    [JsonPropertyName("item_label")] public string? ItemLabel { get; set; }
    [JsonPropertyName("service_no")] public long? ServiceNo { get; set; }
    [JsonPropertyName("client_item_id")] public string? ClientItemId { get; set; }
    [JsonPropertyName("client_sku")] public string? ClientSku { get; set; }
    [JsonPropertyName("stock_level")] public decimal? StockLevel { get; set; }
    [JsonPropertyName("item_desc")] public string? ItemDesc { get; set; }
    [JsonPropertyName("active_ind")] public long? ActiveInd { get; set; }
    [JsonPropertyName("all_item_prices")] public List<AllItemPrice>? AllItemPrices { get; set; }
}

public sealed class AllItemPrice
{
    [JsonPropertyName("price")] public decimal? Price { get; set; }
    [JsonPropertyName("price_per_unit")] public decimal? PricePerUnit { get; set; }
    [JsonPropertyName("currency_cd")] public string? CurrencyCd { get; set; }
}

/// <summary>
/// <c>create_order_m</c>: orders inventory items, billed on a master plan instance. Preview with
/// <see cref="DoWrite"/> false (the reply lists <c>cart_invoice_line_items</c>), then write.
/// </summary>
public sealed class CreateOrderMRequest() : AriaRequest("create_order_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("plan_instance_no")] public long? PlanInstanceNo { get; set; }
    [JsonPropertyName("client_plan_instance_id")] public string? ClientPlanInstanceId { get; set; }
    [JsonPropertyName("order_line_items")] public List<OrderLineItem>? OrderLineItems { get; set; }
    /// <summary>0 no, 1 now, 2 hold, 3–5 around fulfilment; null follows AUTO BILL ORDERS.</summary>
    [JsonPropertyName("bill_immediately")] public long? BillImmediately { get; set; }
    [JsonPropertyName("client_order_id")] public string? ClientOrderId { get; set; }
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }

    [JsonPropertyName("do_write")]
    [JsonConverter(typeof(AriaStringBooleanConverter))]
    public bool? DoWrite { get; set; }

    [JsonPropertyName("coupon_cd")] public string? CouponCd { get; set; }
    [JsonPropertyName("order_comments")] public string? OrderComments { get; set; }
    [JsonPropertyName("statement_message")] public string? StatementMessage { get; set; }
    [JsonPropertyName("alt_caller_id")] public string? AltCallerId { get; set; }
}

public sealed class OrderLineItem
{
    [JsonPropertyName("client_sku")] public string? ClientSku { get; set; }
    [JsonPropertyName("units")] public decimal? Units { get; set; }
    [JsonPropertyName("amount")] public decimal? Amount { get; set; }
    [JsonPropertyName("unit_discount_amount")] public decimal? UnitDiscountAmount { get; set; }
    [JsonPropertyName("line_comments")] public string? LineComments { get; set; }
}

public sealed class CreateOrderMResponse : AriaResponse
{
    [JsonPropertyName("order_no")] public long? OrderNo { get; set; }
    [JsonPropertyName("transaction_id")] public long? TransactionId { get; set; }
    [JsonPropertyName("invoice_no")] public long? InvoiceNo { get; set; }
    [JsonPropertyName("proc_status_code")] public string? ProcStatusCode { get; set; }
    [JsonPropertyName("proc_status_text")] public string? ProcStatusText { get; set; }
    [JsonPropertyName("total_charges_before_tax")] public decimal? TotalChargesBeforeTax { get; set; }
    [JsonPropertyName("total_tax_charges")] public decimal? TotalTaxCharges { get; set; }
    [JsonPropertyName("total_charges_after_tax")] public decimal? TotalChargesAfterTax { get; set; }
    [JsonPropertyName("total_credit")] public decimal? TotalCredit { get; set; }
    [JsonPropertyName("cart_invoice_line_items")] public List<CartInvoiceLineItem>? CartInvoiceLineItems { get; set; }
}

public sealed class CartInvoiceLineItem
{
    [JsonPropertyName("line_no")] public long? LineNo { get; set; }
    [JsonPropertyName("service_no")] public long? ServiceNo { get; set; }
    [JsonPropertyName("service_name")] public string? ServiceName { get; set; }
    [JsonPropertyName("line_units")] public decimal? LineUnits { get; set; }
    [JsonPropertyName("rate_per_unit")] public decimal? RatePerUnit { get; set; }
    [JsonPropertyName("line_amount")] public decimal? LineAmount { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("date_range_start")] public string? DateRangeStart { get; set; }
    [JsonPropertyName("date_range_end")] public string? DateRangeEnd { get; set; }
}
