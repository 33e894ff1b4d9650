using AriaBot.Audit;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Audit;

public sealed class AuditLogTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageAuditLog _audit;

    public AuditLogTests()
    {
        _audit = new StorageAuditLog(new MemoryStorage(_clock));
    }

    [Fact]
    public async Task The_audit_log_keeps_entries_in_order_and_never_overwrites_one()
    {
        var first = new AuditEntry { Id = "r1", At = _clock.GetUtcNow(), AccountNo = 1001, Call = "replace_acct_plan_m", Outcome = AuditOutcome.Committed, ReceiptId = "r1" };
        await _audit.AppendAsync(first);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _audit.AppendAsync(first with { Id = "r2", At = _clock.GetUtcNow(), Outcome = AuditOutcome.Rejected, AriaErrorCode = 1049 });
        await Assert.ThrowsAsync<StorageConflictException>(() => _audit.AppendAsync(first with { Outcome = AuditOutcome.Failed }));

        var entries = await _audit.ReadAsync(1001);
        Assert.Equal(["r1", "r2"], entries.Select(e => e.Id));
        Assert.Equal(AuditOutcome.Committed, entries[0].Outcome);
        Assert.Empty(await _audit.ReadAsync(2002));
    }
}
