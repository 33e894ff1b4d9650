using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// SQLite's writes without a writer thread (issue 22, x/sqlite4): a write that finds nobody committing is committed on
/// its caller's thread inside the call — no hop to a writer and back — while writes arriving during a commit queue and
/// are committed together after it, each still answered with its own eTags and conflicts (the group commit's rules,
/// <see cref="SqliteGroupCommitTests"/>).
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteCallerCommitTests : IAsyncLifetime
{
    private readonly SqliteTestFile _file = new("ariabot-caller-commit");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private SqliteStorage _store = null!;

    public async Task InitializeAsync()
    {
        _store = _file.Open(_clock);
        // The first write waits for the table to be created; from then on nothing in a write awaits anything but the commit.
        await _store.WriteAsync(One("seed", 0, null));
    }

    public async Task DisposeAsync() => await _file.DisposeAsync();

    private static Dictionary<string, StoreWrite> One(string key, int value, string? eTag) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(new { v = value }), eTag) };

    [Fact]
    public async Task A_write_finding_nobody_committing_is_committed_within_the_call_in_a_transaction_of_its_own()
    {
        for (var i = 0; i < 5; i++)
        {
            var transactions = _store.WriteTransactions;
            var callerCommits = _store.CallerCommits;
            var write = _store.WriteAsync(One($"conv/{i}", i, null));
            // Already answered when the call returns: committed on this thread, not handed to another and awaited.
            Assert.True(write.IsCompletedSuccessfully);
            Assert.Equal(transactions + 1, _store.WriteTransactions);
            Assert.Equal(callerCommits + 1, _store.CallerCommits);
            // Durable: another connection on the file (as another process) reads it at once.
            await using var other = SqliteStorage.ForFile(_file.Path, _clock);
            var stored = (await other.ReadAsync([$"conv/{i}"]))[$"conv/{i}"];
            Assert.Equal((await write)[$"conv/{i}"], stored.ETag);
        }
    }

    [Fact]
    public async Task Writes_arriving_during_a_commit_queue_and_are_committed_together_after_it_each_with_its_own_answer()
    {
        var seeded = (await _store.WriteAsync(One("conv/shared", 0, null)))["conv/shared"];
        using var inCommit = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        var first = true;
        _store.Committing = () =>
        {
            if (first)
            {
                first = false;
                inCommit.Set();
                finish.Wait(TimeSpan.FromSeconds(30));
            }
        };
        var transactions = _store.WriteTransactions;

        // One caller commits on its own thread and is held inside its commit.
        var committer = Task.Run(() => _store.WriteAsync(One("conv/first", 1, null)));
        Assert.True(inCommit.Wait(TimeSpan.FromSeconds(30)));
        // Meanwhile others write: none of them may commit while it does, so each call returns with its write queued.
        var queued = Enumerable.Range(0, 10).Select(i => _store.WriteAsync(One($"conv/{i}", i, null))).ToList();
        var winner = _store.WriteAsync(One("conv/shared", 1, seeded));
        var stale = _store.WriteAsync(One("conv/shared", 2, seeded));
        Assert.All(queued, write => Assert.False(write.IsCompleted));
        Assert.False(winner.IsCompleted);
        finish.Set();

        // The committer's caller is answered; whoever commits next takes all twelve queued writes in one transaction.
        await committer.WaitAsync(TimeSpan.FromSeconds(30));
        var answers = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30));
        await winner.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("conv/shared", (await Assert.ThrowsAsync<StorageConflictException>(() => stale)).Key);
        Assert.Equal(transactions + 2, _store.WriteTransactions);

        var stored = await _store.ReadAsync([.. Enumerable.Range(0, 10).Select(i => $"conv/{i}"), "conv/first", "conv/shared"]);
        Assert.Equal(12, stored.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(answers[i][$"conv/{i}"], stored[$"conv/{i}"].ETag);
        }
        Assert.Equal((await winner)["conv/shared"], stored["conv/shared"].ETag);
        Assert.Equal(1, stored["conv/shared"].Document.GetProperty("v").GetInt32());
    }

    [Fact]
    public async Task A_failed_commit_fails_only_its_own_batch_and_the_next_write_is_committed_on_a_fresh_connection()
    {
        var broken = true;
        _store.Committing = () =>
        {
            if (broken)
            {
                broken = false;
                throw new InvalidOperationException("the disk went away");
            }
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync(One("conv/lost", 1, null)));
        Assert.Empty(await _store.ReadAsync(["conv/lost"]));

        var write = _store.WriteAsync(One("conv/kept", 2, null));
        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(2, (await _store.ReadAsync(["conv/kept"]))["conv/kept"].Document.GetProperty("v").GetInt32());
    }
}
