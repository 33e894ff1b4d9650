using System.Security.Cryptography;
using System.Text;
using AriaBot.PasswordReset;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// The code check both verification-code flows share, on its own: two posts that read the record before either wrote
/// never both succeed, and tries are never more than the limit (the eTag rules the pages rely on).
/// </summary>
public sealed class VerificationCodeCheckTests
{
    private const string Key = "reset/codes/abc";
    private const string Code = "31415926";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage _storage;
    private readonly VerificationLinks<ResetLinkRecord> _links;

    public VerificationCodeCheckTests()
    {
        _storage = new MemoryStorage(_time);
        _links = new VerificationLinks<ResetLinkRecord>(_storage, _time, new VerificationKeys("reset", "reset/links/", "reset/pending/"),
            () => new PasswordResetOptions { CodeAttempts = 3 }, NullLogger.Instance);
    }

    [Fact]
    public async Task Two_posts_of_the_right_code_read_together_spend_it_once()
    {
        await StoreCodeAsync();
        var first = await ReadAsync();
        var second = await ReadAsync();

        Assert.Equal(CodeCheckOutcome.Right, (await _links.CheckAsync(Key, first, Code, KeepUntil, CancellationToken.None)).Outcome);
        Assert.Equal(CodeCheckOutcome.Lost, (await _links.CheckAsync(Key, second, Code, KeepUntil, CancellationToken.None)).Outcome);
        // Read again, the code is spent: a third post is told it ended.
        Assert.True((await ReadAsync()).Value.Used);
        Assert.Equal(CodeCheckOutcome.Ended, (await _links.CheckAsync(Key, await ReadAsync(), Code, KeepUntil, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task The_last_allowed_wrong_code_locks_it_and_the_right_one_then_fails()
    {
        await StoreCodeAsync();
        var wrong1 = await _links.CheckAsync(Key, await ReadAsync(), "00000000", KeepUntil, CancellationToken.None);
        Assert.Equal((CodeCheckOutcome.Wrong, 2, true), (wrong1.Outcome, wrong1.AttemptsLeft, wrong1.Counted));
        Assert.Equal(CodeCheckOutcome.Wrong, (await _links.CheckAsync(Key, await ReadAsync(), "0000-0001", KeepUntil, CancellationToken.None)).Outcome);
        var third = await _links.CheckAsync(Key, await ReadAsync(), "not a code", KeepUntil, CancellationToken.None);
        Assert.Equal((CodeCheckOutcome.Locked, 3, true), (third.Outcome, third.WrongAttempts, third.Counted));

        var right = await _links.CheckAsync(Key, await ReadAsync(), Code, KeepUntil, CancellationToken.None);
        Assert.Equal((CodeCheckOutcome.Locked, false), (right.Outcome, right.Counted));
        Assert.False((await ReadAsync()).Value.Used);
    }

    [Fact]
    public async Task An_expired_code_is_ended_and_costs_no_try()
    {
        await StoreCodeAsync();
        _time.Advance(TimeSpan.FromMinutes(16));
        var check = await _links.CheckAsync(Key, await ReadAsync(), Code, KeepUntil, CancellationToken.None);
        Assert.Equal((CodeCheckOutcome.Ended, false), (check.Outcome, check.Counted));
        Assert.Equal(0, (await ReadAsync()).Value.WrongAttempts);
    }

    private DateTimeOffset KeepUntil => _time.GetUtcNow().AddHours(2);

    private Task StoreCodeAsync()
    {
        var salt = "0123456789abcdef0123456789abcdef";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + Code)));
        return _storage.WriteAsync(Key, new ResetCodeRecord { AccountNo = 1000001, Salt = salt, Hash = hash, ExpiresAt = _time.GetUtcNow().AddMinutes(15) }, eTag: null, KeepUntil);
    }

    private async Task<Stored<ResetCodeRecord>> ReadAsync() => (await _storage.ReadAsync<ResetCodeRecord>(Key))!;
}
