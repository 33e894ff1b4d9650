namespace Aria.Sandbox.State;

// The sandbox's own model of an Aria client's data. Mutable on purpose:
// every change happens under SandboxState's lock, after the call has validated everything.

public sealed class SandboxClient
{
    public required long ClientNo { get; init; }
    public required string AuthKey { get; init; }
    public required string Name { get; init; }
    public List<string> AllowedIpAddresses { get; init; } = [];
    /// <summary>Session lifetime; configured per client in Aria, whose default is unknown (30 is the sandbox's choice, unverified against Aria).</summary>
    public int SessionMinutes { get; set; } = 30;

    /// <summary>What directive 2 ("client rule") does: prorate or not.</summary>
    public bool ProrateByDefault { get; set; } = true;

    /// <summary>Directive used when a call sends none. Aria's docs call both 1 and 2 "default"; the Swagger prose implies 2.</summary>
    public int DefaultAssignmentDirective { get; set; } = 2;

    public bool AutoBillOrders { get; set; } = true;
    public string Currency { get; set; } = "usd";
}

public sealed class Plan
{
    public required long PlanNo { get; init; }
    public required string ClientPlanId { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = string.Empty;
    public bool IsSupplemental { get; init; }
    public bool Displayed { get; init; } = true;

    /// <summary>For a supplemental plan: the master plans it may sit under.</summary>
    public List<long> ParentPlanNos { get; init; } = [];

    public List<RateSchedule> RateSchedules { get; init; } = [];
    public long ServiceNo => PlanNo * 10 + 1;
    public string ServiceName => $"{Name} recurring fee";
    public RateSchedule DefaultSchedule => RateSchedules.First(r => r.IsDefault);
}

public sealed class RateSchedule
{
    public required long ScheduleNo { get; init; }
    public required string ClientRateScheduleId { get; init; }
    public required string Name { get; init; }
    public decimal RatePerUnit { get; init; }

    /// <summary>Months per recurring period (1 monthly, 12 yearly).</summary>
    public int IntervalMonths { get; init; } = 1;

    public bool IsDefault { get; init; }
    public string Currency { get; init; } = "usd";
}

public sealed class InventoryItem
{
    public required long ItemNo { get; init; }
    public required string ClientSku { get; init; }
    public required string Label { get; init; }
    public string Description { get; init; } = string.Empty;
    public decimal Price { get; init; }
    public bool Active { get; init; } = true;
    public decimal StockLevel { get; set; } = 100;
    public long ServiceNo => ItemNo * 10 + 9;
}

public sealed class Contact
{
    public long ContactNo { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleInitial { get; set; }
    public string? LastName { get; set; }
    public string? CompanyName { get; set; }
    public string? Address1 { get; set; }
    public string? Address2 { get; set; }
    public string? Address3 { get; set; }
    public string? City { get; set; }
    public string? Locality { get; set; }
    public string? StateProv { get; set; }
    public string? CountryCd { get; set; }
    public string? PostalCd { get; set; }
    public string? Phone { get; set; }
    public string? CellPhone { get; set; }
    public string? Email { get; set; }
    public string? Birthdate { get; set; }

    public Contact Copy(long contactNo)
    {
        var copy = (Contact)MemberwiseClone();
        copy.ContactNo = contactNo;
        return copy;
    }
}

public sealed class BillingGroup
{
    public required long BillingGroupNo { get; init; }
    public required string Name { get; init; }
    public long? PrimaryPaymentMethodNo { get; set; }
    public long? BackupPaymentMethodNo { get; set; }
    public required Contact BillingContact { get; set; }
    public Contact? BackupContact { get; set; }
    public required Contact StatementContact { get; set; }
}

public sealed class PaymentMethod
{
    public required long PaymentMethodNo { get; init; }
    public string? ClientPaymentMethodId { get; init; }

    /// <summary>1 credit card, 2 electronic check.</summary>
    public int PayMethodType { get; init; } = 1;

    /// <summary>The last four digits: the sandbox never keeps a full card or account number.</summary>
    public required string Suffix { get; init; }

    public int? ExpireMonth { get; init; }
    public int? ExpireYear { get; init; }
    public string? CardType { get; init; }
    public string Name { get; init; } = "Card";
    public bool Disabled { get; set; }
    public long BillingGroupNo { get; set; }

    /// <summary>How the simulated processor answers a charge (a decline test card keeps its behaviour, not its number).</summary>
    public CardBehaviour Behaviour { get; init; }
}

public enum CardBehaviour
{
    Approve,

    /// <summary>Authorization refused, "Do Not Honor": 4011.</summary>
    DeclineDoNotHonor,

    /// <summary>Insufficient funds: 4001.</summary>
    DeclineInsufficientFunds,
}

public sealed class Account
{
    public required long AcctNo { get; init; }
    public required string ClientAcctId { get; init; }
    public required string UserId { get; init; }
    public required byte[] PasswordSalt { get; set; }
    public required byte[] PasswordHash { get; set; }
    public string? SecretQuestion { get; set; }
    public byte[]? SecretAnswerHash { get; set; }
    public int StatusCd { get; set; } = 1;
    public string Currency { get; set; } = "usd";
    public decimal Balance { get; set; }
    public DateOnly StartDate { get; set; }
    public required Contact AccountContact { get; set; }
    public List<BillingGroup> BillingGroups { get; init; } = [];
    public List<PaymentMethod> PaymentMethods { get; init; } = [];
    public string DemoDescription { get; init; } = string.Empty;
    public string DemoPassword { get; init; } = string.Empty;
}

public sealed class PlanInstance
{
    public required long PlanInstanceNo { get; init; }
    public required string ClientPlanInstanceId { get; init; }
    public required long AcctNo { get; init; }
    public required long PlanNo { get; set; }
    public required long RateScheduleNo { get; set; }
    public decimal Units { get; set; } = 1;

    /// <summary>1 active, 2 pending cancellation, -2 cancelled, … (Aria's plan instance statuses).</summary>
    public int StatusCd { get; set; } = 1;

    public long? ParentPlanInstanceNo { get; set; }
    public required long MasterPlanInstanceNo { get; set; }
    public long BillingGroupNo { get; set; }
    public int BillDay { get; set; }
    public DateOnly PlanDate { get; set; }
    public DateOnly StatusDate { get; set; }

    /// <summary>First day of the current period.</summary>
    public DateOnly PeriodStart { get; set; }

    /// <summary>First day of the next period (the next anniversary).</summary>
    public DateOnly NextBillDate { get; set; }

    public bool IsMaster => ParentPlanInstanceNo is null;
    public bool IsLive => StatusCd is 1 or 2 or 41 or 61;
}

public enum QueuedChangeKind
{
    Replace,
    Cancel,
    Update,
    Assign,
}

/// <summary>A change waiting for the anniversary (directive 1) or an effective date (7–9).</summary>
public sealed class QueuedChange
{
    public required long QueueId { get; init; }
    public required QueuedChangeKind Kind { get; init; }
    public required long PlanInstanceNo { get; init; }
    public required int Directive { get; init; }

    /// <summary>Null for directive 1 (the instance's next anniversary) and for 7–9 without a date (never runs by itself).</summary>
    public DateOnly? EffectiveDate { get; init; }

    public long? NewPlanNo { get; init; }
    public long? NewRateScheduleNo { get; init; }
    public decimal? NewUnits { get; init; }
}

public sealed class InvoiceLine
{
    public required int LineNo { get; init; }
    public required string Description { get; init; }
    public long ServiceNo { get; init; }
    public string ServiceName { get; init; } = string.Empty;
    public decimal Units { get; init; }
    public decimal RatePerUnit { get; init; }
    public decimal Amount { get; init; }
    public decimal? ProrationFactor { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? Thru { get; init; }
    public long? PlanNo { get; init; }
    public string? PlanName { get; init; }
    public string? ClientPlanId { get; init; }
    public string? ClientSku { get; init; }
}

public sealed class Invoice
{
    public required long InvoiceNo { get; init; }
    public required long AcctNo { get; init; }
    public long? MasterPlanInstanceNo { get; init; }
    public required DateOnly BillDate { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? Thru { get; init; }
    public List<InvoiceLine> Lines { get; init; } = [];
    public decimal Charges => Lines.Where(l => l.Amount > 0).Sum(l => l.Amount);
    public decimal Credits => -Lines.Where(l => l.Amount < 0).Sum(l => l.Amount);
    public decimal Total => Lines.Sum(l => l.Amount);
    public decimal PaidAmount { get; set; }
    public DateOnly? PaidDate { get; set; }
    public long StatementNo { get; set; }
    public string Currency { get; init; } = "usd";
}

public sealed class LedgerTransaction
{
    public required long TransactionId { get; init; }
    public required long AcctNo { get; init; }

    /// <summary>1 invoice, 3 electronic payment (Aria's transaction types).</summary>
    public required int Type { get; init; }

    public required string Description { get; init; }
    public required decimal Amount { get; init; }
    public decimal AppliedAmount { get; set; }
    public required DateOnly CreateDate { get; init; }
    public long? InvoiceNo { get; init; }
    public long? StatementNo { get; set; }
    public string? ClientReceiptId { get; init; }
    public long? PaymentMethodNo { get; init; }
    public string? CardSuffix { get; init; }
    public int? PayMethodType { get; init; }
    public string Currency { get; init; } = "usd";
}

public sealed class Statement
{
    public required long StatementNo { get; init; }
    public required long AcctNo { get; init; }
    public required DateOnly CreateDate { get; init; }
    public required DateOnly DueDate { get; init; }
    public decimal NewCharges { get; init; }
    public decimal NewPayments { get; init; }
    public decimal BalanceForward { get; init; }
    public decimal Total { get; init; }
    public long InvoiceNo { get; init; }
    public long? MasterPlanInstanceNo { get; init; }
}

public sealed class OrderLine
{
    public required int LineNo { get; init; }
    public required string ClientSku { get; init; }
    public required string Label { get; init; }
    public string Description { get; init; } = string.Empty;
    public decimal Units { get; init; }
    public decimal UnitAmount { get; init; }
    public decimal LineAmount { get; init; }
    public string? Comments { get; init; }
}

public sealed class OrderRecord
{
    public required long OrderNo { get; init; }
    public required long AcctNo { get; init; }
    public string? ClientOrderId { get; init; }
    public required long PlanInstanceNo { get; init; }
    public required string ClientPlanInstanceId { get; init; }
    public required DateOnly CreateDate { get; init; }
    public DateOnly UpdateDate { get; set; }
    public required string StatusLabel { get; set; }
    public long? InvoiceNo { get; set; }
    public long? TransactionId { get; set; }
    public string? Comments { get; init; }
    public string? StatementMessage { get; init; }
    public string? ClientReceiptId { get; init; }
    public List<OrderLine> Lines { get; init; } = [];
    public decimal Amount => Lines.Sum(l => l.LineAmount);
}

public sealed class Session
{
    public required string SessionId { get; init; }
    public required long AcctNo { get; init; }
    public required string UserId { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public bool Killed { get; set; }
    public string? ClientSessionId { get; init; }
}
