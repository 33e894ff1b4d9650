using Aria.Sandbox.Billing;
using Aria.Sandbox.Events;
using Aria.Sandbox.Faults;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.Seed;
using Aria.Sandbox.State;

namespace Aria.Sandbox;

/// <summary>
/// The in-process handle on the simulated Aria, for tests and Development tooling: inspect and
/// change its data, count calls, inject faults, reset to the demo seed. Read state inside
/// <see cref="Read{T}"/> (or change it inside <see cref="Write"/>) so a call in flight cannot
/// change it under you.
/// </summary>
public sealed class AriaSandbox
{
    private readonly SandboxState _state;
    private readonly SandboxSeeder _seeder;
    private readonly SandboxEventEmitter _emitter;
    private readonly SandboxEventOutbox _outbox;

    internal AriaSandbox(SandboxState state, SandboxSeeder seeder, SandboxCallLog calls, SandboxFaults faults, SandboxClock clock, SandboxEventEmitter emitter, SandboxEventOutbox outbox)
    {
        _state = state;
        _seeder = seeder;
        _emitter = emitter;
        _outbox = outbox;
        Calls = calls;
        Faults = faults;
        Clock = clock;
    }

    /// <summary>Aria's simulated clock: the host's time plus what <see cref="AdvanceClock"/> added.</summary>
    public SandboxClock Clock { get; }

    /// <summary>The event notification documents made so far, oldest first, with their delivery status.</summary>
    public IReadOnlyList<SandboxEvent> Events => _outbox.All;

    /// <summary>
    /// Moves the simulated clock forward and lets every account catch up at once (anniversaries bill,
    /// queued changes run, cards come near expiry), queuing the events of what happened.
    /// </summary>
    public ClockAdvance AdvanceClock(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_state.Gate)
        {
            _seeder.EnsureSeeded();
            Clock.Advance(by);
            var queued = _emitter.CatchUp(_state, _state.Clients[0], Clock.GetUtcNow());
            return new ClockAdvance(Clock.Today, queued);
        }
    }

    public SandboxCallLog Calls { get; }

    public SandboxFaults Faults { get; }

    public IReadOnlyCollection<string> SupportedCalls => SandboxDispatcher.SupportedCalls;

    /// <summary>The demo sign-ins (user id, password, account, what it shows).</summary>
    public IReadOnlyList<DemoAccount> DemoAccounts
    {
        get
        {
            Read(_ => 0);
            return _seeder.DemoAccounts;
        }
    }

    /// <summary>The simulated client (client number and auth key the bot must be configured with).</summary>
    public SandboxClient Client => Read(s => s.Clients[0]);

    public T Read<T>(Func<SandboxState, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_state.Gate)
        {
            _seeder.EnsureSeeded();
            return read(_state);
        }
    }

    public void Write(Action<SandboxState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_state.Gate)
        {
            _seeder.EnsureSeeded();
            change(_state);
        }
    }

    public Account Account(long acctNo) => Read(s => s.AccountByNo(acctNo));

    public Account Account(string userId) => Read(s => s.Accounts.First(a => string.Equals(a.UserId, userId, StringComparison.OrdinalIgnoreCase)));

    public IReadOnlyList<PlanInstance> PlanInstances(long acctNo) => Read(s => s.InstancesOf(acctNo).ToList());

    public IReadOnlyList<OrderRecord> Orders(long acctNo) => Read(s => s.Orders.Where(o => o.AcctNo == acctNo).ToList());

    public IReadOnlyList<LedgerTransaction> Payments(long acctNo) => Read(s => s.Transactions.Where(t => t.AcctNo == acctNo && t.Type == 3).ToList());

    public IReadOnlyList<Invoice> Invoices(long acctNo) => Read(s => s.Invoices.Where(i => i.AcctNo == acctNo).ToList());

    /// <summary>Which IP addresses the client accepts ("*" = any); others get 1003.</summary>
    public void SetAllowedIpAddresses(params string[] addresses) => Write(s =>
    {
        s.Clients[0].AllowedIpAddresses.Clear();
        s.Clients[0].AllowedIpAddresses.AddRange(addresses);
    });

    /// <summary>Back to the demo seed, dated from the host's clock now (the simulated clock's offset goes); clears the call log, faults and events.</summary>
    public void Reset()
    {
        lock (_state.Gate)
        {
            Clock.Reset();
            _emitter.Clear();
            _outbox.Clear();
            _seeder.Reset();
        }

        Calls.Clear();
        Faults.Clear();
    }
}

/// <summary>Where the simulated clock stands after an advance, and how many event documents it queued.</summary>
public sealed record ClockAdvance(DateOnly Today, int Events);
