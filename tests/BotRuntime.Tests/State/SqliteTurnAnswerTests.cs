using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// What a turn's store calls allocate on SQLite (issue 22, x/sqlite5): the read-ahead fills the one dictionary it hands
/// to <see cref="TurnReadAhead"/>, a one-key read served from it and a write of a few keys are answered without a
/// dictionary of their own — and the answers still say exactly what a dictionary said. The byte bounds are this test
/// build's (Debug: async methods allocate their state machines); each sits between the old code's figure and the new.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteTurnAnswerTests : IAsyncLifetime
{
    private readonly SqliteTestFile _file = new("ariabot-turn-answers");
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

    private static StoreWrite Doc(int step, string? eTag = null) => StoreWrite.Of(new { step, text = "a state document of a few words" }, StateJson.Options, eTag);

    private static int Step(StoreItem item) => item.Document.GetProperty("step").GetInt32();

    /// <summary>One turn's start as the runtime makes it: state and binding read ahead, two ownership keys to refuse on.</summary>
    private Task<TurnReadAhead?> StartAsync(int turn) =>
        _store.ReadTurnStartAsync([$"chat/conversations/{turn}", $"bindings/{turn}"], [$"owned/dl/{turn}", $"owned/slack/{turn}"], CancellationToken.None);

    [Fact]
    public async Task The_read_ahead_fills_its_own_dictionary_and_a_served_read_of_one_key_is_answered_without_one()
    {
        long start = 0, served = 0;
        // Warmed up first (the first calls open the reader and run the JIT); the figures are then the same every turn.
        for (var turn = 0; turn < 4; turn++)
        {
            await _store.WriteAsync(new Dictionary<string, StoreWrite> { [$"chat/conversations/{turn}"] = Doc(turn) });
            var before = GC.GetAllocatedBytesForCurrentThread();
            var readAhead = await StartAsync(turn);
            start = GC.GetAllocatedBytesForCurrentThread() - before;
            TurnReadAhead.Enter(readAhead);

            before = GC.GetAllocatedBytesForCurrentThread();
            var state = await _store.ReadAsync([$"chat/conversations/{turn}"]);
            var binding = await _store.ReadAsync([$"bindings/{turn}"]);
            served = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(turn, Step(state[$"chat/conversations/{turn}"]));
            Assert.Single(state);
            Assert.Equal(new[] { $"chat/conversations/{turn}" }, state.Keys);
            Assert.False(state.TryGetValue($"bindings/{turn}", out _));
            Assert.Throws<KeyNotFoundException>(() => state[$"bindings/{turn}"]);
            // Absent is answered as absent, as the file would have.
            Assert.Empty(binding);
            Assert.False(binding.ContainsKey($"bindings/{turn}"));
            Assert.Equal(0, readAhead!.Unserved);
            TurnReadAhead.Enter(null);
        }
        // Now 2,000 and 592 bytes; before, 2,592 (the reader's dictionary, then the read-ahead's) and 904 (a dictionary per read).
        Assert.InRange(start, 1, 2_300);
        Assert.InRange(served, 1, 750);
    }

    [Fact]
    public async Task A_refusal_key_found_by_the_read_ahead_still_refuses_and_is_never_served()
    {
        await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["chat/conversations/1"] = Doc(1), ["owned/slack/1"] = Doc(0) });
        await Assert.ThrowsAsync<TurnRefusedException>(() => StartAsync(1));

        // Named both ways: found, so refused; not found, so served as absent.
        await Assert.ThrowsAsync<TurnRefusedException>(() => _store.ReadTurnStartAsync(["owned/slack/1"], ["owned/slack/1"], CancellationToken.None));
        var readAhead = await _store.ReadTurnStartAsync(["chat/conversations/1", "owned/dl/1"], ["owned/dl/1"], CancellationToken.None);
        Assert.Equal(2, readAhead!.Unserved);
        TurnReadAhead.Enter(readAhead);
        var before = _store.FileReads;
        Assert.Empty(await _store.ReadAsync(["owned/dl/1"]));
        Assert.Equal(1, Step((await _store.ReadAsync(["chat/conversations/1"]))["chat/conversations/1"]));
        Assert.Equal(before, _store.FileReads);
    }

    [Fact]
    public async Task A_write_is_answered_with_each_key_s_stored_eTag_as_a_dictionary_would()
    {
        foreach (var count in new[] { 1, 4, SqliteStorage.KeysPerScannedAnswer, SqliteStorage.KeysPerScannedAnswer + 3 })
        {
            var keys = Enumerable.Range(0, count).Select(i => $"conv/{count}/{i}").ToList();
            var answer = await _store.WriteAsync(keys.ToDictionary(key => key, _ => Doc(count)));
            var stored = await _store.ReadAsync(keys);

            Assert.Equal(count, answer.Count);
            Assert.Equal(keys.Order(StringComparer.Ordinal), answer.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(keys.Select(key => stored[key].ETag).Order(StringComparer.Ordinal), answer.Values.Order(StringComparer.Ordinal));
            foreach (var key in keys)
            {
                Assert.Equal(stored[key].ETag, answer[key]);
                Assert.True(answer.ContainsKey(key));
            }
            Assert.Equal(keys.ToDictionary(key => key, key => stored[key].ETag), answer.ToDictionary(pair => pair.Key, pair => pair.Value));
            Assert.False(answer.TryGetValue("conv/other", out _));
            Assert.False(answer.ContainsKey(keys[0].ToUpperInvariant()));
            Assert.Throws<KeyNotFoundException>(() => answer["conv/other"]);
            // A few keys: the answer reads the write's own changes (a dictionary per write before); many: a dictionary.
            Assert.Equal(count > SqliteStorage.KeysPerScannedAnswer, answer is Dictionary<string, string>);

            // The answer's eTag is the one the next conditional write must carry.
            await _store.WriteAsync(new Dictionary<string, StoreWrite> { [keys[^1]] = Doc(count + 1, answer[keys[^1]]) });
            await Assert.ThrowsAsync<StorageConflictException>(() => _store.WriteAsync(new Dictionary<string, StoreWrite> { [keys[^1]] = Doc(count + 2, answer[keys[^1]]) }));
        }
    }
}
