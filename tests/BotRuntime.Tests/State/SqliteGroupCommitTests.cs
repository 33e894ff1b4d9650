using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// SQLite's single writer commits the writes queued meanwhile in one transaction (group commit, issue 22) while each
/// caller keeps its own answer: its own eTags, its own conflict, nothing of a conflicting write stored, and every
/// answered write durable (a second store on the file, as another process, reads it at once).
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ariabot-group-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private SqliteStorage _store = null!;

    public Task InitializeAsync()
    {
        _store = SqliteStorage.ForFile(_path, _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, StoreWrite> One(string key, object value, string? eTag) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(value), eTag) };

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (StorageConflictException conflict)
        {
            return conflict;
        }
    }

    [Fact]
    public async Task Writes_queued_together_commit_in_one_transaction_and_each_caller_gets_its_own_etags()
    {
        var seeded = (await _store.WriteAsync(One("conv/shared", new { v = 0 }, null)))["conv/shared"];
        var transactionsBefore = _store.WriteTransactions;

        var release = _store.HoldWriter();
        var writes = Enumerable.Range(0, 40).Select(i => _store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [$"conv/{i}"] = new(JsonSerializer.SerializeToElement(new { turn = i }), null),
            [$"deliveries/{i}"] = new(JsonSerializer.SerializeToElement(new { done = true }), StoreWrite.AnyETag),
        })).ToList();
        // Two turns that both loaded conv/shared under the same eTag: the first queued wins, the second conflicts.
        var first = _store.WriteAsync(One("conv/shared", new { v = 1 }, seeded));
        var second = _store.WriteAsync(One("conv/shared", new { v = 2 }, seeded));
        // A create-only write of a key that exists conflicts, alone.
        var recreate = _store.WriteAsync(One("conv/shared", new { v = 3 }, null));
        release();

        var results = await Task.WhenAll(writes);
        Assert.Null(await Outcome(first));
        Assert.Equal("conv/shared", Assert.IsType<StorageConflictException>(await Outcome(second)).Key);
        Assert.Equal("conv/shared", Assert.IsType<StorageConflictException>(await Outcome(recreate)).Key);

        // 43 writes, one transaction: the group commit.
        Assert.Equal(1, _store.WriteTransactions - transactionsBefore);
        // Every caller's eTags are its own and are what is stored.
        await using var other = SqliteStorage.ForFile(_path, _clock);
        var keys = Enumerable.Range(0, 40).SelectMany(i => new[] { $"conv/{i}", $"deliveries/{i}" }).Append("conv/shared").ToList();
        var stored = await other.ReadAsync(keys);
        Assert.Equal(81, stored.Count);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(2, results[i].Count);
            Assert.Equal(results[i][$"conv/{i}"], stored[$"conv/{i}"].ETag);
            Assert.Equal(results[i][$"deliveries/{i}"], stored[$"deliveries/{i}"].ETag);
            Assert.Equal(i, stored[$"conv/{i}"].Document.GetProperty("turn").GetInt32());
        }
        Assert.Equal(1, stored["conv/shared"].Document.GetProperty("v").GetInt32());
        Assert.Equal((await first)["conv/shared"], stored["conv/shared"].ETag);
        Assert.Equal(81, results.SelectMany(result => result.Values).Append((await first)["conv/shared"]).Distinct().Count());
    }

    [Fact]
    public async Task A_conflicting_write_stores_none_of_its_keys_while_the_rest_of_its_batch_commits()
    {
        var seeded = (await _store.WriteAsync(One("conv/a", new { v = 0 }, null)))["conv/a"];
        await _store.WriteAsync(One("conv/a", new { v = 1 }, seeded)); // seeded is now stale

        var release = _store.HoldWriter();
        var stale = _store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["conv/b"] = new(JsonSerializer.SerializeToElement(new { v = 9 }), null),
            ["conv/a"] = new(JsonSerializer.SerializeToElement(new { v = 9 }), seeded),
        });
        var fine = _store.WriteAsync(One("conv/c", new { v = 1 }, null));
        release();

        Assert.Equal("conv/a", Assert.IsType<StorageConflictException>(await Outcome(stale)).Key);
        await fine;
        var stored = await _store.ReadAsync(["conv/a", "conv/b", "conv/c"]);
        Assert.False(stored.ContainsKey("conv/b")); // all or nothing per write, even when its first key passed
        Assert.Equal(1, stored["conv/a"].Document.GetProperty("v").GetInt32());
        Assert.True(stored.ContainsKey("conv/c"));
    }

    [Fact]
    public async Task Many_concurrent_writers_on_one_store_each_get_their_answer_and_the_writer_groups_them()
    {
        // Without a hold: 8 threads × 25 sequential writes each. Writes queued while a commit runs share the next one.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            string? eTag = null;
            for (var i = 0; i < 25; i++)
            {
                eTag = (await _store.WriteAsync(One($"conv/{w}", new { i }, eTag)))[$"conv/{w}"];
            }
            return eTag;
        })).ToList();
        var last = await Task.WhenAll(writers);
        var stored = await _store.ReadAsync([.. Enumerable.Range(0, 8).Select(w => $"conv/{w}")]);
        for (var w = 0; w < 8; w++)
        {
            Assert.Equal(last[w], stored[$"conv/{w}"].ETag);
            Assert.Equal(24, stored[$"conv/{w}"].Document.GetProperty("i").GetInt32());
        }
        Assert.Equal(200, _store.WritesCommitted);
        Assert.InRange(_store.WriteTransactions, 1, 200);
    }

    [Fact]
    public async Task A_write_cancelled_before_its_turn_in_the_queue_is_not_stored_and_the_writer_goes_on()
    {
        using var cancel = new CancellationTokenSource();
        var release = _store.HoldWriter();
        var cancelled = _store.WriteAsync(One("conv/x", new { v = 1 }, null), cancel.Token);
        await cancel.CancelAsync();
        release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Empty(await _store.ReadAsync(["conv/x"]));
        await _store.WriteAsync(One("conv/x", new { v = 2 }, null));
        Assert.Equal(2, (await _store.ReadAsync(["conv/x"]))["conv/x"].Document.GetProperty("v").GetInt32());
    }
}
