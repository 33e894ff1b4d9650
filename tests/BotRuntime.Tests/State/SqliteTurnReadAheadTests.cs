using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// SQLite's read-ahead at a turn's start (issue 22, <c>SqliteStorage.Turn.cs</c>): the turn's first keys and the refusal
/// keys in one read, each served once to the turn's first read of it, forgotten when the turn writes or deletes it, never
/// served to another store, and eTags still checked against the file.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteTurnReadAheadTests : IAsyncLifetime
{
    private readonly SqliteTestFile _file = new("ariabot-readahead");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private SqliteStorage _store = null!;

    public Task InitializeAsync()
    {
        _store = _file.Open(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        TurnReadAhead.Enter(null);
        await _file.DisposeAsync();
    }

    private static StoreWrite Doc(object value, string? eTag = null, DateTimeOffset? expires = null) =>
        new(JsonSerializer.SerializeToElement(value), eTag, expires);

    private static int Step(IReadOnlyDictionary<string, StoreItem> items, string key) => items[key].Document.GetProperty("step").GetInt32();

    [Fact]
    public async Task The_first_reads_are_one_read_of_the_file_each_key_served_once_and_its_eTag_still_checked()
    {
        var written = await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 1 }), ["binding"] = Doc(new { step = 10 }) });
        var before = _store.FileReads;

        var readAhead = await _store.ReadTurnStartAsync(["state", "binding", "absent"], [], CancellationToken.None);
        Assert.Equal(before + 1, _store.FileReads);
        // Another process changes the state after the read-ahead: the turn is served what the file held when it started.
        await _file.Open(_clock).WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 2 }, StoreWrite.AnyETag) });
        TurnReadAhead.Enter(readAhead);

        var state = await _store.ReadAsync(["state"]);
        Assert.Equal(1, Step(state, "state"));
        Assert.Equal(written["state"], state["state"].ETag);
        var rest = await _store.ReadAsync(["binding", "absent"]);
        Assert.Equal(["binding"], rest.Keys);
        Assert.Equal(10, Step(rest, "binding"));
        Assert.Equal(before + 1, _store.FileReads);
        Assert.Equal(0, readAhead!.Unserved);

        // Served once: the next read is the file's, and a save with the copy's eTag is a conflict, never a lost update.
        Assert.Equal(2, Step(await _store.ReadAsync(["state"]), "state"));
        Assert.Equal(before + 2, _store.FileReads);
        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => _store.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 3 }, written["state"]) }));
        Assert.Equal("state", conflict.Key);
    }

    [Fact]
    public async Task A_key_the_turn_writes_or_deletes_is_read_from_the_file_afterwards()
    {
        var written = await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 1 }), ["marker"] = Doc(new { step = 5 }) });
        TurnReadAhead.Enter(await _store.ReadTurnStartAsync(["state", "marker"], [], CancellationToken.None));

        await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 2 }, written["state"]) });
        await _store.DeleteAsync(["marker"]);

        Assert.Equal(2, Step(await _store.ReadAsync(["state"]), "state"));
        Assert.Empty(await _store.ReadAsync(["marker"]));
    }

    [Fact]
    public async Task Only_the_store_that_read_ahead_is_served_and_nothing_after_the_turn_clears_it()
    {
        await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 1 }) });
        var readAhead = await _store.ReadTurnStartAsync(["state"], [], CancellationToken.None);
        var other = _file.Open(_clock);
        await other.WriteAsync(new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 2 }, StoreWrite.AnyETag) });
        TurnReadAhead.Enter(readAhead);

        var otherBefore = other.FileReads;
        Assert.Equal(2, Step(await other.ReadAsync(["state"]), "state"));
        Assert.Equal(otherBefore + 1, other.FileReads);
        Assert.Equal(1, readAhead!.Unserved);

        readAhead.Clear();
        Assert.Equal(2, Step(await _store.ReadAsync(["state"]), "state"));
    }

    [Fact]
    public async Task A_live_refusal_key_refuses_in_the_same_read_and_an_expired_one_does_not()
    {
        await _store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["owned/live"] = Doc(new { step = 1 }),
            ["owned/expired"] = Doc(new { step = 1 }, expires: _clock.GetUtcNow().AddMinutes(1)),
        });
        _clock.Advance(TimeSpan.FromMinutes(2));
        var before = _store.FileReads;

        await Assert.ThrowsAsync<TurnRefusedException>(() => _store.ReadTurnStartAsync(["state"], ["owned/none", "owned/live"], CancellationToken.None));
        Assert.Equal(before + 1, _store.FileReads);

        var readAhead = await _store.ReadTurnStartAsync(["state"], ["owned/expired", "owned/none"], CancellationToken.None);
        Assert.Equal(before + 2, _store.FileReads);
        // Only the turn's own keys wait to be served; the refusal keys were an answer, not a copy.
        Assert.Equal(1, readAhead!.Unserved);
        Assert.Null(await _store.ReadTurnStartAsync([], [], CancellationToken.None));
    }
}
