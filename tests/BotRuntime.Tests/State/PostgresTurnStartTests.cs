using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// A turn's start and end on PostgreSQL in one round trip each (issue 22): the lease, the delivery claim and the
/// conversation state's read-ahead in one call; the closing write giving the lease back. Each keeps what the separate
/// calls guaranteed: the claim is written under the new token, all or nothing, only when the lease was taken; a
/// stale holder's closing write is refused and releases nothing; a read-ahead copy never hides the turn's own write; a
/// present refusal key (<see cref="TurnStart.RefuseIfAny"/>) takes and writes nothing.
/// </summary>
public sealed class PostgresTurnStartTests() : OwnPostgresTable("turnstart")
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    public override async Task DisposeAsync()
    {
        TurnFence.Enter(null);
        TurnFence.EnterReleasing(null);
        TurnReadAhead.Enter(null);
        await base.DisposeAsync();
    }

    private PostgresStorage Store()
    {
        RequireDatabase();
        return new PostgresStorage(DataSource!, _clock, Table);
    }

    private static StoreWrite Value(int value, string? eTag = null) => new(JsonSerializer.SerializeToElement(value), eTag);

    /// <summary>A delivery claim like the runtime's: the record create-only, the in-flight marker whatever is there.</summary>
    private static TurnStart Start(string delivery, params string[] readAhead) => new(
        new Dictionary<string, StoreWrite> { [delivery] = Value(1), ["inflight/" + delivery] = Value(1, StoreWrite.AnyETag) },
        readAhead);

    [SkippableFact]
    public async Task Starting_a_turn_takes_the_lease_writes_the_claim_under_its_token_and_reads_ahead()
    {
        var store = Store();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(41) });

        var started = await store.TryStartTurnAsync("c1", "a", Lease, Start("d/1", "state/c1", "state/absent"), default);

        Assert.NotNull(started);
        Assert.True(started.Claimed);
        // The claim is committed: another instance (its own store object, no ambient turn) sees it.
        var other = new PostgresStorage(DataSource!, _clock, Table);
        Assert.Equal(["d/1", "inflight/d/1"], (await other.ReadAsync(["d/1", "inflight/d/1"])).Keys.Order(StringComparer.Ordinal));
        // The lease is held under the returned token: nobody else gets it, and the token fences writes.
        Assert.Null(await other.TryAcquireAsync("c1", "b", Lease, default));
        Assert.True(await other.RenewAsync("c1", started.Token, Lease, default));

        // The read-ahead answers the first read of its keys, present or absent, and only that store's reads.
        TurnReadAhead.Enter(started.ReadAhead);
        Assert.Null(started.ReadAhead!.TryServe(other, ["state/c1"]));
        var read = await store.ReadAsync(["state/c1", "state/absent"]);
        Assert.Equal(41, Assert.Single(read).Value.Document.GetInt32());
        Assert.Equal(0, started.ReadAhead.Unserved);
    }

    [SkippableFact]
    public async Task A_held_conversation_starts_nothing_and_writes_no_claim()
    {
        var store = Store();
        Assert.NotNull(await store.TryAcquireAsync("c1", "other-instance", Lease, default));

        Assert.Null(await store.TryStartTurnAsync("c1", "a", Lease, Start("d/1"), default));

        Assert.Empty(await store.ReadAsync(["d/1", "inflight/d/1"]));
    }

    [SkippableFact]
    public async Task A_present_refusal_key_takes_no_lease_writes_no_claim_and_reads_nothing()
    {
        var store = Store();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["dl/c/owned"] = Value(1), ["dl/c/gone"] = new(JsonSerializer.SerializeToElement(1), null, _clock.GetUtcNow().AddSeconds(1)) });
        _clock.Advance(TimeSpan.FromSeconds(2));

        // /api/messages' anonymous caller naming a conversation another ingress owns (issue 22: checked in begin's round trip).
        await Assert.ThrowsAsync<TurnRefusedException>(() =>
            store.TryStartTurnAsync("c1", "a", Lease, Start("d/1", "state/c1") with { RefuseIfAny = ["slack/absent", "dl/c/owned"] }, default));
        Assert.Empty(await store.ReadAsync(["d/1", "inflight/d/1"]));
        Assert.NotNull(await store.TryAcquireAsync("c1", "b", Lease, default)); // the lease was never taken

        // An expired key owns nothing, as a read would say: the turn starts as usual.
        var started = await store.TryStartTurnAsync("c2", "a", Lease, Start("d/2") with { RefuseIfAny = ["dl/c/gone", "slack/absent"] }, default);
        Assert.True(started?.Claimed);
    }

    [SkippableFact]
    public async Task Conversation_locks_pass_a_refusal_on_and_hold_nothing_after_it()
    {
        var store = Store();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["dl/c/owned"] = Value(1) });
        var locks = new ConversationLocks(store, Options.Create(new BotOptions { InstanceLease = Lease }), _clock, NullLogger<ConversationLocks>.Instance);

        await Assert.ThrowsAsync<TurnRefusedException>(() =>
            locks.TryAcquireAsync("c1", TimeSpan.FromSeconds(5), () => Start("d/1") with { RefuseIfAny = ["dl/c/owned"] }, default));

        Assert.Equal(0, locks.ActiveConversations);
        Assert.Empty(await store.ReadAsync(["d/1"]));
    }

    [SkippableFact]
    public async Task A_claim_seen_before_writes_none_of_its_keys_but_the_lease_is_still_taken()
    {
        var store = Store();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["d/1"] = Value(7) });

        var started = await store.TryStartTurnAsync("c1", "a", Lease, Start("d/1"), default);

        Assert.NotNull(started);
        Assert.False(started.Claimed);
        Assert.Equal(7, (await store.ReadAsync(["d/1"]))["d/1"].Document.GetInt32());
        Assert.Empty(await store.ReadAsync(["inflight/d/1"]));
        Assert.Null(await store.TryAcquireAsync("c1", "b", Lease, default));
    }

    [SkippableFact]
    public async Task A_read_ahead_copy_is_forgotten_once_the_turn_writes_its_key()
    {
        var store = Store();
        var eTag = (await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(1) }))["state/c1"];
        var started = await store.TryStartTurnAsync("c1", "a", Lease, Start("d/1", "state/c1"), default);
        TurnReadAhead.Enter(started!.ReadAhead);

        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(2, eTag) });

        Assert.Equal(2, (await store.ReadAsync(["state/c1"]))["state/c1"].Document.GetInt32());
    }

    [SkippableFact]
    public async Task The_closing_write_gives_the_lease_back_and_a_stale_holders_is_refused_releasing_nothing()
    {
        var store = Store();
        var fence = new TurnFence("c1", (await store.TryStartTurnAsync("c1", "a", Lease, Start("d/1"), default))!.Token);
        TurnFence.Enter(fence);
        TurnFence.EnterReleasing(fence);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(1, StoreWrite.AnyETag) });
        Assert.True(fence.Released);
        Assert.False(fence.IsActive);
        Assert.NotNull(await store.TryAcquireAsync("c1", "b", Lease, default));

        // A holder that stalled past its lease, taken over: its closing write changes nothing and keeps the new lease.
        var stale = new TurnFence("c2", (await store.TryAcquireAsync("c2", "a", Lease, default))!.Value);
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var current = await store.TryAcquireAsync("c2", "b", Lease, default);
        Assert.NotNull(current);
        TurnFence.Enter(stale);
        TurnFence.EnterReleasing(stale);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c2"] = Value(9, StoreWrite.AnyETag) }));
        TurnFence.Enter(null);
        TurnFence.EnterReleasing(null);
        Assert.False(stale.Released);
        Assert.Empty(await store.ReadAsync(["state/c2"]));
        Assert.True(await store.RenewAsync("c2", current.Value, Lease, default), "the new holder's lease is still there");
    }

    [SkippableFact]
    public async Task Only_the_write_it_is_meant_for_gives_the_lease_back()
    {
        var store = Store();
        var fence = new TurnFence("c1", (await store.TryAcquireAsync("c1", "a", Lease, default))!.Value);
        TurnFence.Enter(fence);
        // A fenced write made while another fence is the releasing one (or none is) keeps the lease.
        TurnFence.EnterReleasing(new TurnFence("c1", fence.Token + 1000));
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(1, StoreWrite.AnyETag) });
        TurnFence.EnterReleasing(null);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(2, StoreWrite.AnyETag) });
        TurnFence.Enter(null);

        Assert.False(fence.Released);
        Assert.True(fence.IsActive);
        Assert.Null(await store.TryAcquireAsync("c1", "b", Lease, default));
    }

    [SkippableFact]
    public async Task Conversation_locks_take_the_claim_with_the_lease_and_the_closing_write_frees_the_conversation_at_once()
    {
        var store = Store();
        var locks = new ConversationLocks(store, Options.Create(new BotOptions { InstanceLease = Lease }), _clock, NullLogger<ConversationLocks>.Instance);
        var asked = 0;
        long? next;
        TurnReadAhead? readAhead;
        await using (var lease = await locks.TryAcquireAsync("c1", TimeSpan.FromSeconds(5), () =>
        {
            asked++;
            return Start("d/1", "state/c1");
        }, default))
        {
            readAhead = lease?.Start?.ReadAhead;
            Assert.Equal(1, readAhead?.Unserved);
            Assert.NotNull(lease);
            Assert.True(lease.Start?.Claimed);
            Assert.Equal(1, asked);
            TurnFence.EnterReleasing(lease.Fence);
            TurnFence.Enter(lease.Fence);
            await store.WriteAsync(new Dictionary<string, StoreWrite> { ["state/c1"] = Value(1, StoreWrite.AnyETag) });
            TurnFence.Enter(null);
            TurnFence.EnterReleasing(null);
            Assert.True(lease.Fence!.Released);
            // Another instance may start the conversation's next turn as soon as the closing write is stored.
            next = await store.TryAcquireAsync("c1", "b", Lease, default);
            Assert.NotNull(next);
        }
        Assert.Equal(0, locks.ActiveConversations);
        // What the turn never read is dropped when it ends: work it left behind reads the store.
        Assert.Equal(0, readAhead!.Unserved);
        Assert.True(await store.RenewAsync("c1", next.Value, Lease, default), "the first turn's end left the next holder's lease alone");
    }
}
