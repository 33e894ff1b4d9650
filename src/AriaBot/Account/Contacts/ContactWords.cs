using AriaBot.Language;

namespace AriaBot.Account.Contacts;

/// <summary>What the contact update says; wordings in <c>dialogs/Contacts/</c>.</summary>
[WordKeys]
public static class ContactWords
{
    public static readonly WordKey WhichContact = new("contacts.whichContact");
    public static readonly WordKey WhichContactRetry = new("contacts.whichContactRetry");
    public static readonly WordKey KindAccount = new("contacts.kindAccount");
    public static readonly WordKey KindBilling = new("contacts.kindBilling");
    public static readonly WordKey KindStatement = new("contacts.kindStatement");

    public static readonly WordKey WhichField = new("contacts.whichField");
    public static readonly WordKey WhichFieldRetry = new("contacts.whichFieldRetry");
    public static readonly WordKey FieldEmail = new("contacts.fieldEmail");
    public static readonly WordKey FieldPhone = new("contacts.fieldPhone");
    public static readonly WordKey FieldCountry = new("contacts.fieldCountry");
    public static readonly WordKey FieldPostalCode = new("contacts.fieldPostalCode");

    public static readonly WordKey AskValue = new("contacts.askValue", "field", "current");
    public static readonly WordKey AskValueNoCurrent = new("contacts.askValueNoCurrent", "field");
    public static readonly WordKey AskValueRetry = new("contacts.askValueRetry", "field");
    public static readonly WordKey BadEmail = new("contacts.badEmail");
    public static readonly WordKey BadPhone = new("contacts.badPhone");
    public static readonly WordKey PhoneNeedsCountryCode = new("contacts.phoneNeedsCountryCode");
    public static readonly WordKey BadCountry = new("contacts.badCountry");
    public static readonly WordKey BadPostalCode = new("contacts.badPostalCode");
    public static readonly WordKey Unchanged = new("contacts.unchanged", "field", "value");

    public static readonly WordKey AccountEmailNotInChat = new("contacts.accountEmailNotInChat");

    public static readonly WordKey Title = new("contacts.title", "contact");
    public static readonly WordKey Description = new("contacts.description", "contact", "field", "value");
    public static readonly WordKey Done = new("contacts.done", "contact", "field", "value");

    public static WordKey FieldLabel(ContactField field) => field switch
    {
        ContactField.Email => FieldEmail,
        ContactField.Phone => FieldPhone,
        ContactField.Country => FieldCountry,
        _ => FieldPostalCode,
    };

    public static WordKey KindLabel(ContactKind kind) => kind switch
    {
        ContactKind.Account => KindAccount,
        ContactKind.Billing => KindBilling,
        _ => KindStatement,
    };

    public static WordKey Problem(ContactProblem problem) => problem switch
    {
        ContactProblem.Email => BadEmail,
        ContactProblem.PhoneNeedsCountryCode => PhoneNeedsCountryCode,
        ContactProblem.Country => BadCountry,
        ContactProblem.PostalCode => BadPostalCode,
        _ => BadPhone,
    };
}
