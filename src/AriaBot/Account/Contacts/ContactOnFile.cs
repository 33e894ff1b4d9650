using Aria.Client;
using Aria.Client.Models;

namespace AriaBot.Account.Contacts;

/// <summary>Which contact (Aria's <c>contact_ind</c>): the backup billing contact (3) is not offered in chat.</summary>
public enum ContactKind
{
    Account = 1,
    Billing = 2,
    Statement = 4,
}

/// <summary>The details a customer may change in chat; each is validated before Aria hears of it.</summary>
public enum ContactField
{
    Email,
    Phone,
    Country,
    PostalCode,
}

/// <summary>One contact as Aria has it now: only the details this use case changes, and the billing group it belongs to.</summary>
public sealed record ContactOnFile(long? BillingGroupNo, string? Email, string? Phone, string? Country, string? PostalCode)
{
    public string? Value(ContactField field) => field switch
    {
        ContactField.Email => Email,
        ContactField.Phone => Phone,
        ContactField.Country => Country,
        _ => PostalCode,
    };

    /// <summary>
    /// Reads one contact with <c>get_acct_contacts_m</c>. A billing or statement contact belongs to a billing group: the
    /// one named, else the account's first (the group a single-group account — the usual case — has).
    /// </summary>
    public static async Task<AriaResult<ContactOnFile>> ReadAsync(IAriaClient aria, long accountNo, ContactKind kind, long? billingGroupNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        var reply = await aria.GetAcctContactsAsync(new GetAcctContactsMRequest { AcctNo = accountNo, BillingGroupNo = billingGroupNo }, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return AriaResult<ContactOnFile>.Failure(reply.Error!);
        }
        var contacts = reply.Value!;
        ContactOnFile? found = kind switch
        {
            ContactKind.Account => contacts.AccountContact?.FirstOrDefault() is { } a ? new(null, a.Email, a.Phone, a.CountryCd, a.PostalCd) : null,
            ContactKind.Billing => contacts.BillingContacts?.FirstOrDefault() is { } b ? new(b.BillBillingGroupNo, b.BillEmail, b.BillPhone, b.BillCountry, b.BillPostalCd) : null,
            _ => contacts.StatementContacts?.FirstOrDefault() is { } s ? new(s.StatBillingGroupNo, s.StatEmail, s.StatPhone, s.StatCountry, s.StatPostalCd) : null,
        };
        return found is null
            ? AriaResult<ContactOnFile>.Failure(AriaError.FromAria((long)AriaErrorCode.NoDataFound, "no such contact on the account"))
            : AriaResult<ContactOnFile>.Success(found);
    }
}
