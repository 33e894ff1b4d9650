namespace Aria.Sandbox.Events;

/// <summary>
/// The event ids and labels the sandbox sends, from reference §13 (labels are the contract: Aria's
/// numbering differs between releases). 720/724/… are the master plan's, 721/725/… the supplemental
/// plan's. The failed-collection event is the sandbox's own: §13 documents none (inferred).
/// </summary>
internal static class EventCatalog
{
    public static readonly (int Id, string Label) CardPendingExpiration = (714, "Account Credit Card Pending Expiration");
    public static readonly (int Id, string Label) PaymentMethodAdded = (715, "New Form of Payment Added");
    public static readonly (int Id, string Label) PaymentMethodModified = (716, "Form of Payment Modified");
    public static readonly (int Id, string Label) BillingContactModified = (717, "Billing Contact Modified");
    public static readonly (int Id, string Label) InvoiceCreated = (901, "Invoice Created");
    public static readonly (int Id, string Label) PaymentCreated = (905, "Electronic Payment Created");

    /// <summary>Inferred: no documented failed-payment event exists in what was read of Aria.</summary>
    public static readonly (int Id, string Label) PaymentFailed = (907, "Electronic Payment Failed");

    public static (int Id, string Label) Modified(bool master) => master ? (718, "Master Plan Instance Modified") : (719, "Supplemental Plan Modified");

    public static (int Id, string Label) QueuedAssignment(bool master) => master ? (720, "Master Plan Queued for Assignment") : (721, "Supplemental Plan Queued for Assignment");

    public static (int Id, string Label) Assigned(bool master) => master ? (724, "Master Plan Assigned") : (725, "Supplemental Plan Assigned");

    public static (int Id, string Label) Deassigned(bool master) => master ? (726, "Master Plan De-assigned") : (727, "Supplemental Plan De-assigned");

    public static (int Id, string Label) QueuedDeassignment(bool master) => master ? (728, "Master Plan Queued for De-assignment") : (729, "Supplemental Plan Queued for De-assignment");

    public static (int Id, string Label) QueuedModification(bool master) => master ? (730, "Master Plan Queued for Modification") : (731, "Supplemental Plan Queued for Modification");
}
