using System.Text.Json.Serialization;

namespace Aria.Client.Models;

/// <summary><c>get_acct_contacts_m</c>: account, billing, backup, statement and other contacts.</summary>
public sealed class GetAcctContactsMRequest() : AriaRequest("get_acct_contacts_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("client_acct_id")] public string? ClientAcctId { get; set; }
    [JsonPropertyName("billing_group_no")] public long? BillingGroupNo { get; set; }
}

public sealed class GetAcctContactsMResponse : AriaResponse
{
    [JsonPropertyName("account_contact")] public List<AccountContact>? AccountContact { get; set; }
    [JsonPropertyName("billing_contacts")] public List<BillingContact>? BillingContacts { get; set; }
    [JsonPropertyName("statement_contacts")] public List<StatementContact>? StatementContacts { get; set; }
}

public sealed class AccountContact
{
    [JsonPropertyName("contact_no")] public long? ContactNo { get; set; }
    [JsonPropertyName("first_name")] public string? FirstName { get; set; }
    [JsonPropertyName("middle_initial")] public string? MiddleInitial { get; set; }
    [JsonPropertyName("last_name")] public string? LastName { get; set; }
    [JsonPropertyName("company_name")] public string? CompanyName { get; set; }
    [JsonPropertyName("address1")] public string? Address1 { get; set; }
    [JsonPropertyName("address2")] public string? Address2 { get; set; }
    [JsonPropertyName("city")] public string? City { get; set; }
    [JsonPropertyName("state_prov")] public string? StateProv { get; set; }
    [JsonPropertyName("country_cd")] public string? CountryCd { get; set; }
    [JsonPropertyName("postal_cd")] public string? PostalCd { get; set; }
    [JsonPropertyName("phone")] public string? Phone { get; set; }
    [JsonPropertyName("cell_phone")] public string? CellPhone { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("birthdate")] public string? Birthdate { get; set; }
}

public sealed class BillingContact
{
    [JsonPropertyName("bill_contact_no")] public long? BillContactNo { get; set; }
    [JsonPropertyName("bill_first_name")] public string? BillFirstName { get; set; }
    [JsonPropertyName("bill_last_name")] public string? BillLastName { get; set; }
    [JsonPropertyName("bill_address1")] public string? BillAddress1 { get; set; }
    [JsonPropertyName("bill_city")] public string? BillCity { get; set; }
    [JsonPropertyName("bill_state_prov")] public string? BillStateProv { get; set; }
    [JsonPropertyName("bill_country")] public string? BillCountry { get; set; }
    [JsonPropertyName("bill_postal_cd")] public string? BillPostalCd { get; set; }
    [JsonPropertyName("bill_email")] public string? BillEmail { get; set; }
    [JsonPropertyName("bill_phone")] public string? BillPhone { get; set; }
    [JsonPropertyName("bill_billing_group_no")] public long? BillBillingGroupNo { get; set; }
}

public sealed class StatementContact
{
    [JsonPropertyName("stat_contact_no")] public long? StatContactNo { get; set; }
    [JsonPropertyName("stat_first_name")] public string? StatFirstName { get; set; }
    [JsonPropertyName("stat_last_name")] public string? StatLastName { get; set; }
    [JsonPropertyName("stat_address1")] public string? StatAddress1 { get; set; }
    [JsonPropertyName("stat_city")] public string? StatCity { get; set; }
    [JsonPropertyName("stat_country")] public string? StatCountry { get; set; }
    [JsonPropertyName("stat_postal_cd")] public string? StatPostalCd { get; set; }
    [JsonPropertyName("stat_email")] public string? StatEmail { get; set; }
    [JsonPropertyName("stat_phone")] public string? StatPhone { get; set; }
    [JsonPropertyName("stat_billing_group_no")] public long? StatBillingGroupNo { get; set; }
}

/// <summary>
/// <c>update_contact_m</c>: <see cref="ContactInd"/> 1 account, 2 primary billing, 3 backup billing,
/// 4 statement. Send "~" to clear a field.
/// </summary>
public sealed class UpdateContactMRequest() : AriaRequest("update_contact_m")
{
    [JsonPropertyName("acct_no")] public long? AcctNo { get; set; }
    [JsonPropertyName("contact_ind")] public long? ContactInd { get; set; }
    [JsonPropertyName("billing_group_no")] public long? BillingGroupNo { get; set; }
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
    /// <summary>ISO 3166 alpha-2, upper case.</summary>
    [JsonPropertyName("country_cd")] public string? CountryCd { get; set; }
    [JsonPropertyName("postal_cd")] public string? PostalCd { get; set; }
    [JsonPropertyName("phone")] public string? Phone { get; set; }
    [JsonPropertyName("cell_phone")] public string? CellPhone { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    /// <summary>yyyy-mm-dd as a string, so "~" can clear it.</summary>
    [JsonPropertyName("birthdate")] public string? Birthdate { get; set; }
}

public sealed class UpdateContactMResponse : AriaResponse
{
    [JsonPropertyName("contact_no_2")] public long? ContactNo2 { get; set; }
}
