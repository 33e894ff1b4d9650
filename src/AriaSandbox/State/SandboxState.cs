using System.Security.Cryptography;
using Aria.Sandbox.Protocol;

namespace Aria.Sandbox.State;

/// <summary>
/// Everything the simulated Aria knows. One lock guards it: a call reads and changes state while
/// holding it, so calls are atomic and ordered, as the sandbox's small load allows.
/// </summary>
public sealed class SandboxState
{
    internal object Gate { get; } = new();

    public List<SandboxClient> Clients { get; } = [];
    public List<Plan> Plans { get; } = [];
    public List<InventoryItem> Items { get; } = [];
    public List<Account> Accounts { get; } = [];
    public List<PlanInstance> PlanInstances { get; } = [];
    public List<QueuedChange> Queue { get; } = [];
    public List<Invoice> Invoices { get; } = [];
    public List<LedgerTransaction> Transactions { get; } = [];
    public List<Statement> Statements { get; } = [];
    public List<OrderRecord> Orders { get; } = [];
    public List<Session> Sessions { get; } = [];

    /// <summary>Receipt ids of committed writes (unique per client, as Aria keeps them).</summary>
    public HashSet<string> UsedReceiptIds { get; } = new(StringComparer.Ordinal);

    private long _nextId = 9_000_000;

    /// <summary>The last day the billing engine has caught up to.</summary>
    internal DateOnly BilledThrough { get; set; }

    internal long NextId() => ++_nextId;

    internal void Clear()
    {
        Clients.Clear();
        Plans.Clear();
        Items.Clear();
        Accounts.Clear();
        PlanInstances.Clear();
        Queue.Clear();
        Invoices.Clear();
        Transactions.Clear();
        Statements.Clear();
        Orders.Clear();
        Sessions.Clear();
        UsedReceiptIds.Clear();
        _nextId = 9_000_000;
        BilledThrough = default;
    }

    public Plan PlanByNo(long planNo) => Plans.First(p => p.PlanNo == planNo);

    public Plan? FindPlan(long? planNo, string? clientPlanId) =>
        planNo is not null ? Plans.FirstOrDefault(p => p.PlanNo == planNo)
        : clientPlanId is not null ? Plans.FirstOrDefault(p => p.ClientPlanId == clientPlanId)
        : null;

    public RateSchedule ScheduleOf(PlanInstance instance) =>
        PlanByNo(instance.PlanNo).RateSchedules.FirstOrDefault(r => r.ScheduleNo == instance.RateScheduleNo)
        ?? PlanByNo(instance.PlanNo).DefaultSchedule;

    public Account AccountByNo(long acctNo) => Accounts.First(a => a.AcctNo == acctNo);

    public IEnumerable<PlanInstance> InstancesOf(long acctNo) => PlanInstances.Where(p => p.AcctNo == acctNo);

    public IEnumerable<PlanInstance> ChildrenOf(PlanInstance parent) =>
        PlanInstances.Where(p => p.ParentPlanInstanceNo == parent.PlanInstanceNo);

    internal static byte[] Hash(string secret, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(secret, salt, 10_000, HashAlgorithmName.SHA256, 32);

    internal static bool Verify(string secret, byte[] salt, byte[] hash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret, salt), hash);

    internal static (byte[] Salt, byte[] Hash) NewHash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return (salt, Hash(secret, salt));
    }

    /// <summary>
    /// Account lookup as Aria orders it: <c>acct_no</c> (or <c>account_no</c>) &gt; <c>user_id</c> &gt;
    /// <c>client_acct_id</c>; none gives 1010, an unknown one 1009 naming the identifier.
    /// </summary>
    internal Account ResolveAccount(AriaInput input, string acctField = "acct_no", bool allowUserId = false)
    {
        var acctNo = input.Long(acctField);
        if (acctNo is not null)
        {
            return Accounts.FirstOrDefault(a => a.AcctNo == acctNo)
                ?? throw new AriaFault(AriaCodes.AccountNotFound, $"account does not exist (AriaNo {acctNo})");
        }

        var userId = allowUserId ? input.NonEmpty("user_id") : null;
        if (userId is not null)
        {
            return Accounts.FirstOrDefault(a => string.Equals(a.UserId, userId, StringComparison.OrdinalIgnoreCase))
                ?? throw new AriaFault(AriaCodes.AccountNotFound, "account does not exist (Userid)");
        }

        var clientAcctId = input.NonEmpty("client_acct_id");
        if (clientAcctId is not null)
        {
            return Accounts.FirstOrDefault(a => a.ClientAcctId == clientAcctId)
                ?? throw new AriaFault(AriaCodes.AccountNotFound, "account does not exist (ClientId)");
        }

        throw new AriaFault(AriaCodes.MissingParameter, $"missing required parameter: {acctField}");
    }
}
