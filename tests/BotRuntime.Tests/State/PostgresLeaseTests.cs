using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The per-conversation turn lease on PostgreSQL: a lease row with an expiry and a fencing token. A turn whose lease
/// ran out and was taken over writes nothing any more (the token is checked in the same statement as the write), and
/// tokens only ever grow, so no stale holder's token becomes valid again.
/// </summary>
public sealed class PostgresLeaseTests() : OwnPostgresTable("leases")
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    public override async Task DisposeAsync()
    {
        TurnFence.Enter(null);
        await base.DisposeAsync();
    }

    private PostgresStorage Store()
    {
        RequireDatabase();
        return new PostgresStorage(DataSource!, _clock, Table);
    }

    private static Dictionary<string, StoreWrite> One(string key, int value) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(value), StoreWrite.AnyETag) };

    [SkippableFact]
    public async Task A_held_conversation_cannot_be_taken_until_its_lease_is_released_or_runs_out()
    {
        var store = Store();
        var first = await store.TryAcquireAsync("c1", "a", Lease, default);
        Assert.NotNull(first);
        Assert.Null(await store.TryAcquireAsync("c1", "b", Lease, default));
        // Another conversation is not affected.
        Assert.NotNull(await store.TryAcquireAsync("c2", "b", Lease, default));

        await store.ReleaseAsync("c1", first.Value, default);
        var second = await store.TryAcquireAsync("c1", "b", Lease, default);
        Assert.True(second > first, "a new holder gets a larger token, also after the row was deleted on release");

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var third = await store.TryAcquireAsync("c1", "a", Lease, default);
        Assert.True(third > second, "a lease that ran out is taken over with a larger token");
        Assert.False(await store.RenewAsync("c1", second!.Value, Lease, default), "the old holder can no longer renew");
        Assert.True(await store.RenewAsync("c1", third!.Value, Lease, default));
    }

    [SkippableFact]
    public async Task A_turn_whose_lease_was_taken_over_writes_nothing_and_the_new_holder_writes()
    {
        var store = Store();
        await store.WriteAsync(One("conversation/c1", 1));
        var stale = new TurnFence("c1", (await store.TryAcquireAsync("c1", "instance-a", Lease, default))!.Value);

        // Instance A stalls past its lease; instance B takes the conversation over.
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var current = new TurnFence("c1", (await store.TryAcquireAsync("c1", "instance-b", Lease, default))!.Value);

        TurnFence.Enter(stale);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["conversation/c1"] = new(JsonSerializer.SerializeToElement(99), StoreWrite.AnyETag),
            ["intents/new"] = new(JsonSerializer.SerializeToElement(99), null),
        }));
        TurnFence.Enter(null);
        var after = await store.ReadAsync(["conversation/c1", "intents/new"]);
        Assert.Equal(1, after["conversation/c1"].Document.GetInt32());
        Assert.False(after.ContainsKey("intents/new"), "all or nothing: not even the other key of the refused write");

        TurnFence.Enter(current);
        await store.WriteAsync(One("conversation/c1", 2));
        TurnFence.Enter(null);
        Assert.Equal(2, (await store.ReadAsync(["conversation/c1"]))["conversation/c1"].Document.GetInt32());
    }

    [SkippableFact]
    public async Task A_turn_that_ended_normally_no_longer_fences_work_it_left_behind()
    {
        var store = Store();
        var fence = new TurnFence("c1", (await store.TryAcquireAsync("c1", "a", Lease, default))!.Value);
        await store.ReleaseAsync("c1", fence.Token, default);
        fence.End();
        TurnFence.Enter(fence);
        await store.WriteAsync(One("outbox/1", 1));
        TurnFence.Enter(null);
        Assert.True((await store.ReadAsync(["outbox/1"])).ContainsKey("outbox/1"));
    }

    [SkippableFact]
    public async Task Conditional_writes_still_report_conflicts_in_one_statement()
    {
        var store = Store();
        var eTag = (await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(JsonSerializer.SerializeToElement(1), null) }))["k"];
        var created = await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(JsonSerializer.SerializeToElement(2), null) }));
        Assert.Equal("k", created.Key);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(JsonSerializer.SerializeToElement(3), eTag) });
        var stale = await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["a-first"] = new(JsonSerializer.SerializeToElement(4), StoreWrite.AnyETag),
            ["k"] = new(JsonSerializer.SerializeToElement(4), eTag),
        }));
        Assert.Equal("k", stale.Key);
        Assert.False((await store.ReadAsync(["a-first"])).ContainsKey("a-first"), "the key before the failing one was rolled back");
        Assert.Equal(3, (await store.ReadAsync(["k"]))["k"].Document.GetInt32());
    }

    [SkippableFact]
    public async Task Two_instances_never_run_turns_of_one_conversation_at_the_same_time()
    {
        Store();
        // Two instances: each its own data source, store and in-process locks, over one database.
        var options = Options.Create(new BotOptions { InstanceLease = Lease });
        var instances = Enumerable.Range(0, 2).Select(_ =>
        {
            var store = new PostgresStorage(PostgresStorage.CreateDataSource(PostgresTestDatabase.ConnectionString!), TimeProvider.System, Table);
            return new ConversationLocks(store, options, TimeProvider.System, NullLogger<ConversationLocks>.Instance);
        }).ToArray();
        Assert.All(instances, locks => Assert.True(locks.SharesLeases));
        var inside = 0;
        var most = 0;
        var ran = 0;
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            await using var lease = await instances[i % 2].TryAcquireAsync("conversation-x", TimeSpan.FromMinutes(1), default);
            Assert.NotNull(lease);
            Assert.NotNull(lease.Fence);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Delay(5);
            Interlocked.Increment(ref ran);
            Interlocked.Decrement(ref inside);
        })));
        Assert.Equal(24, ran);
        Assert.Equal(1, most);
    }

    [SkippableFact]
    public async Task A_wait_past_the_bound_gives_up_without_the_lease()
    {
        Store();
        // On the real clock, as the waiting instance reads it.
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        Assert.NotNull(await store.TryAcquireAsync("busy", "other-instance", TimeSpan.FromMinutes(5), default));
        var locks = new ConversationLocks(store, Options.Create(new BotOptions()), TimeProvider.System, NullLogger<ConversationLocks>.Instance);
        Assert.Null(await locks.TryAcquireAsync("busy", TimeSpan.FromMilliseconds(200), default));
        // The in-process part was given back too: the next wait is not stuck behind a phantom holder.
        Assert.Equal(0, locks.ActiveConversations);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
