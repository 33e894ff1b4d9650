using System.Globalization;
using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>Contacts.</summary>
internal static class ContactCalls
{
    private static readonly string[] Fields =
    [
        "first_name", "middle_initial", "last_name", "company_name", "address1", "address2", "address3",
        "city", "locality", "state_prov", "country_cd", "postal_cd", "phone", "cell_phone", "email", "birthdate",
    ];

    public static JsonObject GetAcctContacts(CallContext ctx)
    {
        var account = ctx.Account();
        var groupNo = ctx.Input.Long("billing_group_no");
        var groups = account.BillingGroups.Where(g => groupNo is null || g.BillingGroupNo == groupNo).ToList();
        var a = account.AccountContact;
        return CallContext.Ok()
            .Put("account_contact", new JsonArray(new JsonObject()
                .Put("contact_no", a.ContactNo).Put("first_name", a.FirstName).Put("middle_initial", a.MiddleInitial)
                .Put("last_name", a.LastName).Put("company_name", a.CompanyName).Put("address1", a.Address1)
                .Put("address2", a.Address2).Put("address3", a.Address3).Put("city", a.City).Put("locality", a.Locality)
                .Put("state_prov", a.StateProv).Put("country_cd", a.CountryCd).Put("postal_cd", a.PostalCd)
                .Put("phone", a.Phone).Put("cell_phone", a.CellPhone).Put("email", a.Email).Put("birthdate", a.Birthdate)))
            .Put("billing_contacts", Json.Array(groups, g => Prefixed("bill_", g.BillingContact, g.BillingGroupNo, countryKey: "bill_country")))
            .Put("backup_contacts", Json.Array(groups.Where(g => g.BackupContact is not null), g => Prefixed("bkup_", g.BackupContact!, g.BillingGroupNo, countryKey: "bkup_country")))
            .Put("statement_contacts", Json.Array(groups, g => Prefixed("stat_", g.StatementContact, g.BillingGroupNo, countryKey: "stat_country")));
    }

    private static JsonObject Prefixed(string p, Contact c, long groupNo, string countryKey) => new JsonObject()
        .Put(p + "contact_no", c.ContactNo).Put(p + "first_name", c.FirstName).Put(p + "middle_initial", c.MiddleInitial)
        .Put(p + "last_name", c.LastName).Put(p + "company_name", c.CompanyName).Put(p + "address1", c.Address1)
        .Put(p + "address2", c.Address2).Put(p + "address3", c.Address3).Put(p + "city", c.City).Put(p + "locality", c.Locality)
        .Put(p + "state_prov", c.StateProv).Put(countryKey, c.CountryCd).Put(p + "postal_cd", c.PostalCd)
        .Put(p + "phone", c.Phone).Put(p + "cell_phone", c.CellPhone).Put(p + "email", c.Email).Put(p + "birthdate", c.Birthdate)
        .Put(p + "billing_group_no", groupNo);

    public static JsonObject UpdateContact(CallContext ctx)
    {
        var account = ctx.Account();
        var ind = ctx.Input.Long("contact_ind") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: contact_ind");
        if (ind is < 1 or > 4)
        {
            throw new AriaFault(AriaCodes.InvalidInput, "invalid contact_ind: use 1 account, 2 billing, 3 backup billing, 4 statement");
        }

        var groupNo = ctx.Input.Long("billing_group_no");
        var group = groupNo is null ? account.BillingGroups.First() : account.BillingGroups.FirstOrDefault(g => g.BillingGroupNo == groupNo)
            ?? throw new AriaFault(AriaCodes.InvalidBillingGroup, "invalid billing group");

        var changes = new Dictionary<string, string?>();
        foreach (var field in Fields)
        {
            var value = ctx.Input.Str(field);
            if (value is null)
            {
                continue;
            }

            if (value.IndexOfAny(['<', '>']) >= 0)
            {
                throw new AriaFault(AriaCodes.IllegalCharacters, $"illegal characters in {field}");
            }

            changes[field] = value == "~" ? null : value;
        }

        if (changes.TryGetValue("birthdate", out var birthdate) && birthdate is not null
            && !DateOnly.TryParseExact(birthdate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new AriaFault(AriaCodes.InvalidDate, "invalid date for birthdate: use yyyy-mm-dd");
        }

        if (changes.TryGetValue("country_cd", out var country) && country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            throw new AriaFault(AriaCodes.InvalidInput, "invalid country_cd: use an upper-case ISO 3166 alpha-2 code");
        }

        var contact = ind switch
        {
            1 => account.AccountContact,
            2 => group.BillingContact,
            3 => group.BackupContact ??= new Contact { ContactNo = ctx.State.NextId() },
            _ => group.StatementContact,
        };
        foreach (var (field, value) in changes)
        {
            Set(contact, field, value);
        }

        return CallContext.Ok().Put("contact_no_2", contact.ContactNo);
    }

    private static void Set(Contact c, string field, string? value)
    {
        switch (field)
        {
            case "first_name": c.FirstName = value; break;
            case "middle_initial": c.MiddleInitial = value; break;
            case "last_name": c.LastName = value; break;
            case "company_name": c.CompanyName = value; break;
            case "address1": c.Address1 = value; break;
            case "address2": c.Address2 = value; break;
            case "address3": c.Address3 = value; break;
            case "city": c.City = value; break;
            case "locality": c.Locality = value; break;
            case "state_prov": c.StateProv = value; break;
            case "country_cd": c.CountryCd = value; break;
            case "postal_cd": c.PostalCd = value; break;
            case "phone": c.Phone = value; break;
            case "cell_phone": c.CellPhone = value; break;
            case "email": c.Email = value; break;
            case "birthdate": c.Birthdate = value; break;
            default: break;
        }
    }
}
