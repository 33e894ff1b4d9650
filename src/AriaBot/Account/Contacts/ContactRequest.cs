using System.Text.Json;
using Aria.Client.Models;
using AriaBot.Changes;
using BotRuntime.State;

namespace AriaBot.Account.Contacts;

/// <summary>
/// What the write record keeps to recognise a contact update afterwards: which contact and detail, and the value before
/// and after. Reading the contact then shows the new value (done), the old one (not done), or neither (unknown).
/// </summary>
public sealed record ContactExpectation(ContactKind Kind, ContactField Field, long? BillingGroupNo, string? Old, string New)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, StateJson.Options);

    public static ContactExpectation? From(JsonElement? json) => json?.Deserialize<ContactExpectation>(StateJson.Options);
}

/// <summary>The <c>update_contact_m</c> request for one detail, and the detail read back from a stored request.</summary>
public static class ContactRequest
{
    public static UpdateContactMRequest For(long accountNo, ContactKind kind, long? billingGroupNo, ContactField field, string value)
    {
        var request = new UpdateContactMRequest
        {
            AcctNo = accountNo,
            ContactInd = (long)kind,
            BillingGroupNo = kind == ContactKind.Account ? null : billingGroupNo,
        };
        switch (field)
        {
            case ContactField.Email: request.Email = value; break;
            case ContactField.Phone: request.Phone = value; break;
            case ContactField.Country: request.CountryCd = value; break;
            default: request.PostalCd = value; break;
        }
        return request;
    }

    /// <summary>Which contact, which detail and its new value, as the stored request says.</summary>
    public static (ContactKind Kind, ContactField Field, string Value) Describe(UpdateContactMRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = (ContactKind)(request.ContactInd ?? 1);
        return request.Email is { } email ? (kind, ContactField.Email, email)
            : request.Phone is { } phone ? (kind, ContactField.Phone, phone)
            : request.CountryCd is { } country ? (kind, ContactField.Country, country)
            : (kind, ContactField.PostalCode, request.PostalCd ?? string.Empty);
    }

    public static UpdateContactMRequest Of(JsonElement request) => ChangeRequest.To<UpdateContactMRequest>(request);
}
