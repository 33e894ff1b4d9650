namespace Aria.Sandbox.Billing;

/// <summary>
/// Aria's clock in the sandbox: the host's <see cref="TimeProvider"/> plus an offset that only moves
/// forward (<c>POST /aria-sandbox/admin/clock/advance</c>). An offset rather than a clock of its own, so
/// that a test's FakeTimeProvider still drives everything and "advance 30 days" composes with it.
/// Timers and delays keep the host's time: only what Aria considers "now" moves.
/// </summary>
public sealed class SandboxClock(TimeProvider host) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the simulated clock runs ahead of the host's.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => host.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => host.LocalTimeZone;

    public override long TimestampFrequency => host.TimestampFrequency;

    public override long GetTimestamp() => host.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        host.CreateTimer(callback, state, dueTime, period);

    /// <summary>Aria's business date (UTC dates in the sandbox).</summary>
    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().UtcDateTime);

    internal void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    internal void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}
