using System.Text.Json.Serialization;
using Aria.Client.Serialization;

namespace Aria.Client.Models;

/// <summary>
/// <c>get_all_acct_receipt_ids_m</c>: the <c>client_receipt_id</c>s Aria recorded for one account, optionally within a
/// date range. Field names from Aria's release-19 Swagger; unverified against Aria: that every write carrying a
/// receipt id (a payment in particular) is listed, and whether the range is inclusive.
/// </summary>
public sealed class GetAllAcctReceiptIdsMRequest() : AriaRequest("get_all_acct_receipt_ids_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }

    [JsonPropertyName("start_date_range")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? StartDateRange { get; set; }

    [JsonPropertyName("end_date_range")]
    [JsonConverter(typeof(AriaDateConverter))]
    public DateOnly? EndDateRange { get; set; }
}

public sealed class GetAllAcctReceiptIdsMResponse : AriaResponse
{
    [JsonPropertyName("acct_receipt")] public List<AcctReceipt>? AcctReceipt { get; set; }
}

public sealed class AcctReceipt
{
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }
    [JsonPropertyName("receipt_date")] public string? ReceiptDate { get; set; }
}

/// <summary>
/// <c>get_all_actions_by_receipt_id_m</c>: what Aria did under one <c>client_receipt_id</c>. Field names from Aria's
/// release-19 Swagger; unverified against Aria: the action type labels a payment gets, and that
/// <c>action_rec_id_val</c> is then the payment's <c>transaction_id</c>.
/// </summary>
public sealed class GetAllActionsByReceiptIdMRequest() : AriaRequest("get_all_actions_by_receipt_id_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_receipt_id")] public string? ClientReceiptId { get; set; }
}

public sealed class GetAllActionsByReceiptIdMResponse : AriaResponse
{
    [JsonPropertyName("receipt_action")] public List<ReceiptAction>? ReceiptAction { get; set; }
}

public sealed class ReceiptAction
{
    [JsonPropertyName("action_type_id")] public long? ActionTypeId { get; set; }
    [JsonPropertyName("action_type_label")] public string? ActionTypeLabel { get; set; }
    [JsonPropertyName("action_type_desc")] public string? ActionTypeDesc { get; set; }
    [JsonPropertyName("action_rec_id_label")] public string? ActionRecIdLabel { get; set; }
    [JsonPropertyName("action_rec_id_val")] public string? ActionRecIdVal { get; set; }
    [JsonPropertyName("action_date")] public string? ActionDate { get; set; }
    [JsonPropertyName("action_user")] public string? ActionUser { get; set; }
    [JsonPropertyName("action_qualifier_1_label")] public string? ActionQualifier1Label { get; set; }
    [JsonPropertyName("action_qualifier_1_val")] public string? ActionQualifier1Val { get; set; }
    [JsonPropertyName("action_qualifier_2_label")] public string? ActionQualifier2Label { get; set; }
    [JsonPropertyName("action_qualifier_2_val")] public string? ActionQualifier2Val { get; set; }
}
