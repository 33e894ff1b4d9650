using System.ComponentModel.DataAnnotations;
using Aria.Client.Models;
using Microsoft.Extensions.Configuration;

namespace AriaBot.SelfService;

/// <summary>
/// The business rules the operator sets for self-service (configuration section <c>SelfService</c>), validated
/// at start. Defaults follow the seed's best practices: every section on, plans Aria flags as hidden stay
/// hidden, Aria's own client parameters decide proration unless an override is given.
/// </summary>
public sealed class SelfServiceOptions : IValidatableObject
{
    public const string SectionName = "SelfService";

    /// <summary>Which parts of self-service the assistant offers. Default: all.</summary>
    public SelfServiceSections Sections { get; set; } = new();

    /// <summary>
    /// Plans never offered to customers, by <c>client_plan_id</c> or <c>plan_no</c>, on top of the plans Aria marks
    /// <c>display_ind = 0</c> (e.g. the default master plan). Default none.
    /// </summary>
    public List<string> HiddenPlans { get; set; } = [];

    /// <summary>Inventory SKUs never offered, by <c>client_sku</c>. Default none.</summary>
    public List<string> HiddenItems { get; set; } = [];

    /// <summary>Payment method types accepted for one-time payments and new methods (Aria <c>pay_method_type</c>: 1 card, 2 bank draft…). Default: cards.</summary>
    public List<int> AcceptedPaymentMethodTypes { get; set; } = [1];

    /// <summary>The proration, assignment and bill-date rules passed to Aria on plan changes; null values follow the client parameters.</summary>
    public PlanChangeRules PlanChanges { get; set; } = new();

    /// <summary>How orders placed in chat are billed, and how large they may be.</summary>
    public OrderRules Orders { get; set; } = new();

    /// <summary>The largest one-time payment accepted in chat, in the account's currency. Default 10,000.</summary>
    [Range(typeof(decimal), "0.01", "1000000000")]
    public decimal MaxPayment { get; set; } = 10_000m;

    /// <summary>Whether a one-time payment may exceed the balance due (leaving a credit). Default false: up to the balance.</summary>
    public bool AllowPrepayment { get; set; }

    /// <summary>A preview older than this is recomputed before the write; changed numbers are confirmed again. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan PreviewFreshness { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The Terms and Conditions shown before every account change. Required.</summary>
    [Required(ErrorMessage = "SelfService:TermsUrl is required: the Terms and Conditions link is shown before every account change.")]
    public string TermsUrl { get; set; } = string.Empty;

    /// <summary>How customers reach a person, and when the assistant offers one.</summary>
    public EscalationRules Escalation { get; set; } = new();

    /// <summary>
    /// The configuration binder adds configured list items to a list's code default, so "AcceptedPaymentMethodTypes:0=2"
    /// would give [1, 2] and an operator could never switch cards off. A configured list replaces the default instead.
    /// </summary>
    public static void ReplaceConfiguredLists(SelfServiceOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var types = configuration.GetSection($"{SectionName}:{nameof(AcceptedPaymentMethodTypes)}");
        if (types.Exists())
        {
            options.AcceptedPaymentMethodTypes = types.Get<List<int>>() ?? [];
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(TermsUrl) && (!Uri.TryCreate(TermsUrl, UriKind.Absolute, out var terms) || terms.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult("SelfService:TermsUrl must be an absolute http(s) URL.", [nameof(TermsUrl)]);
        }
        if (PlanChanges.AssignmentDirective is { } directive && !AssignmentDirective.IsDocumented(directive))
        {
            yield return new ValidationResult("SelfService:PlanChanges:AssignmentDirective must be 1–4 or 7–9 (Aria's documented directives) or empty.", ["PlanChanges.AssignmentDirective"]);
        }
        if (AssignmentDirective.AppliesOnEffectiveDate(PlanChanges.AssignmentDirective) && PlanChanges.EffectiveInDays is null)
        {
            yield return new ValidationResult("SelfService:PlanChanges:EffectiveInDays is required with assignment directives 7–9 (they apply on an effective date).", ["PlanChanges.EffectiveInDays"]);
        }
        if (AcceptedPaymentMethodTypes.Count == 0 && Sections.Payments)
        {
            yield return new ValidationResult("SelfService:AcceptedPaymentMethodTypes is empty while payments are on.", [nameof(AcceptedPaymentMethodTypes)]);
        }
        if (Orders.BillImmediately is { } bill && bill is < 0 or > 5)
        {
            yield return new ValidationResult("SelfService:Orders:BillImmediately must be 0–5 (Aria's bill_immediately options) or empty to follow the client's AUTO BILL ORDERS setting.", ["Orders.BillImmediately"]);
        }
        if (Orders.MaxUnitsPerItem is < 1 or > 999)
        {
            yield return new ValidationResult("SelfService:Orders:MaxUnitsPerItem must be 1–999.", ["Orders.MaxUnitsPerItem"]);
        }
        if (Orders.MaxItemsPerOrder is < 1 or > 20)
        {
            yield return new ValidationResult("SelfService:Orders:MaxItemsPerOrder must be 1–20.", ["Orders.MaxItemsPerOrder"]);
        }
        if (Escalation.OfferPersonAfterMisunderstandings < 1)
        {
            yield return new ValidationResult("SelfService:Escalation:OfferPersonAfterMisunderstandings must be at least 1.", ["Escalation.OfferPersonAfterMisunderstandings"]);
        }
    }
}

public sealed class SelfServiceSections
{
    public bool Plans { get; set; } = true;
    public bool Orders { get; set; } = true;
    public bool Payments { get; set; } = true;
    public bool PaymentMethods { get; set; } = true;
    public bool Contacts { get; set; } = true;
    public bool Statements { get; set; } = true;
    public bool PasswordReset { get; set; } = true;

    /// <summary>The account overview ("my account": plans, balance, next bill, payment methods). Default on.</summary>
    public bool Account { get; set; } = true;

    /// <summary>The transaction history (<c>get_acct_trans_history_m</c>). Default on.</summary>
    public bool Transactions { get; set; } = true;

    /// <summary>The invoice history and its lines, and "why is my bill higher?". Default on.</summary>
    public bool Invoices { get; set; } = true;

    /// <summary>The payment history (<c>get_acct_payment_history_m</c>). Default on.</summary>
    public bool PaymentHistory { get; set; } = true;

    /// <summary>Proactive notices from Aria's event notifications, and opting in to them in the chat. Default on.</summary>
    public bool Notifications { get; set; } = true;
}

public sealed class PlanChangeRules
{
    /// <summary>Aria <c>assignment_directive</c> for switches, additions, unit changes and cancellations; null = the client's default rule.</summary>
    public int? AssignmentDirective { get; set; }

    /// <summary>With directives 7–9: the change applies this many days after the request.</summary>
    [Range(0, 366)]
    public int? EffectiveInDays { get; set; }

    /// <summary>Aria <c>force_bill_date_reset</c>; null = not sent.</summary>
    public int? ForceBillDateReset { get; set; }
}

public sealed class OrderRules
{
    /// <summary>
    /// Aria <c>bill_immediately</c> sent with every order: 0 not now, 1 bill now (and collect from the payment method on
    /// file), 2 hold, 3 the next anniversary after fulfilment, 4 on the fulfilment date, 5 the anniversary bill covering
    /// arrears through fulfilment. Null (the default) sends nothing, so the client's AUTO BILL ORDERS setting decides.
    /// </summary>
    public int? BillImmediately { get; set; }

    /// <summary>
    /// The largest quantity of one item in a chat order. Default 10: more than that is a business order, better placed
    /// with a person (and a typo like "100" for "10" should not reach the billing system).
    /// </summary>
    public int MaxUnitsPerItem { get; set; } = 10;

    /// <summary>How many different items one chat order may hold. Default 5.</summary>
    public int MaxItemsPerOrder { get; set; } = 5;
}

public sealed class EscalationRules
{
    /// <summary>Shown when a customer asks for a person and no live handoff is available.</summary>
    public string? SupportPhone { get; set; }
    public string? SupportEmail { get; set; }
    public string? SupportHours { get; set; }
    public string? SupportUrl { get; set; }

    /// <summary>After this many messages in a row the assistant could not understand, it offers a person. Default 2.</summary>
    public int OfferPersonAfterMisunderstandings { get; set; } = 2;
}
