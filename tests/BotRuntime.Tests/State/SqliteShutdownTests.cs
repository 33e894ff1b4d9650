using System.Net;
using System.Text.Json;
using BotRuntime.State;
using BotRuntime.Tests.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// Disposing a SQLite store is the end of its files (issue 22): when Dispose returns, every write queued before it was
/// committed and answered, every racing call was answered or refused, the log is checkpointed and every connection of
/// the store — writer, kept readers, pooled — is closed, so nothing changes the files afterwards. The reverted writer
/// kept a pooled connection open and reopened connections for calls made after dispose; closed later (the pool's
/// pruning, a finalizer, a test's ClearAllPools) they rewrote the log under a test reading the files. A read whose
/// token is cancelled as the store opens its connection (a stream's read at a host's stop) leaves nothing open either.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteShutdownTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ariabot-shutdown-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public SqliteShutdownTests() => Directory.CreateDirectory(_folder);

    private string Database => Path.Combine(_folder, "bot.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Dictionary<string, StoreWrite> One(string key, object value, string? eTag = null) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(value), eTag) };

    /// <summary>The database's files (the main file, its log and shared memory) by name, with their bytes.</summary>
    private Dictionary<string, byte[]> Files() => Directory.GetFiles(_folder, "bot.db*")
        .ToDictionary(path => Path.GetFileName(path), path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });

    /// <summary>
    /// Gives anything the store left behind its chance to touch the files: finalizers (a dropped connection's handle
    /// closes the file), the pool's idle connections (cleared as a test or the pruning timer would), a moment to run.
    /// </summary>
    private static async Task LetLeftoversRunAsync()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        SqliteConnection.ClearAllPools();
        await Task.Delay(200);
    }

    private static void AssertSameFiles(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after)
    {
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed after the store was disposed");
        }
    }

    [Fact]
    public async Task Disposing_while_writes_are_queued_and_calls_race_it_answers_every_write_and_nothing_touches_the_files_after()
    {
        var store = SqliteStorage.ForFile(Database, _clock);
        await store.WriteAsync(One("k/seed", new { v = 0 }));
        // Every kind of connection the store has: the writer's, a kept single-key reader, a pooled one (prefix read).
        Assert.Single(await store.ReadAsync(["k/seed"]));
        Assert.Single(await store.ReadPrefixAsync("k/", 10));

        var release = store.HoldWriter();
        var queued = Enumerable.Range(0, 40).Select(i => store.WriteAsync(One($"k/q{i:00}", new { v = i }))).ToList();
        // Callers on other threads keep writing, reading and deleting across the dispose until the store refuses them.
        var racers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var stored = new List<string>();
            for (var i = 0; ; i++)
            {
                var key = $"k/r{r}-{i:000}";
                try
                {
                    await store.ReadAsync([key, "k/seed"]);
                    await store.ReadAsync(["k/seed"]);
                    await store.DeleteAsync([$"k/none-{r}"]);
                    await store.WriteAsync(One(key, new { r, i }));
                    stored.Add(key);
                }
                catch (ObjectDisposedException)
                {
                    return stored;
                }
            }
        })).ToList();

        var disposing = store.DisposeAsync().AsTask();
        release();
        await disposing.WaitAsync(TimeSpan.FromSeconds(60));

        // Answered, none lost: the writes queued before the dispose are all stored with the eTags their callers got.
        var answered = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(5));
        var racersStored = (await Task.WhenAll(racers).WaitAsync(TimeSpan.FromSeconds(5))).SelectMany(keys => keys).ToList();

        // Every connection is closed: SQLite deletes the log and the shared memory at the file's last close.
        var atDispose = Files();
        Assert.Equal(new[] { "bot.db" }, atDispose.Keys);

        // Nothing the store left can reopen or rewrite anything: later calls are refused, leftovers get their chance.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync(One("k/late", new { v = 1 })));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync(["k/seed"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync(["k/seed", "k/q00"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadPrefixAsync("k/", 10));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.DeleteAsync(["k/seed"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.PurgeExpiredAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CheckpointAsync());
        await LetLeftoversRunAsync();
        AssertSameFiles(atDispose, Files());
        // Disposing again (the container may, through two registrations) is harmless and touches nothing either.
        store.Dispose();
        await store.DisposeAsync();
        AssertSameFiles(atDispose, Files());

        await using var reader = SqliteStorage.ForFile(Database, _clock);
        var rows = await reader.ReadPrefixAsync("k/", 1000);
        var keys = rows.Select(row => row.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(answered[i][$"k/q{i:00}"], rows.Single(row => row.Key == $"k/q{i:00}").Value.ETag);
        }
        // Exactly what was answered as stored is stored: no racer's refused write, nothing late.
        var expected = racersStored.Concat(Enumerable.Range(0, 40).Select(i => $"k/q{i:00}")).Append("k/seed").Order(StringComparer.Ordinal);
        Assert.Equal(expected, keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_store_disposed_before_its_writer_ever_ran_still_closes_everything_and_refuses_writes()
    {
        // Written by a delete only (through the pool), and never by the writer.
        var store = SqliteStorage.ForFile(Database, _clock);
        await store.DeleteAsync(["k/none"]);
        Assert.Empty(await store.ReadPrefixAsync("k/", 10));

        store.Dispose();

        Assert.Equal(new[] { "bot.db" }, Files().Keys);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync(One("k/late", new { v = 1 })));
        var atDispose = Files();
        await LetLeftoversRunAsync();
        AssertSameFiles(atDispose, Files());
    }

    [Fact]
    public async Task Disposing_the_host_disposes_its_sqlite_store_and_nothing_touches_the_files_after()
    {
        var bot = new RecordingBot();
        IStorage storage;
        await using (var host = await BotTestHost.StartAsync(bot, settings: new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = Database }))
        {
            storage = host.App.Services.GetRequiredService<IStorage>();
            for (var i = 0; i < 5; i++)
            {
                var response = await host.PostAsync(BotTestHost.Message($"m{i}", id: $"a{i}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal($"echo: m{i} #{i + 1}", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
            }
        }

        // The container disposed the store it made (through InstrumentedStorage): every connection is closed.
        var atDispose = Files();
        Assert.Equal(new[] { "bot.db" }, atDispose.Keys);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync(["k/any"]));
        await LetLeftoversRunAsync();
        AssertSameFiles(atDispose, Files());

        // And what the turns saved is there for the next process.
        await using var next = SqliteStorage.ForFile(Database, _clock);
        Assert.NotEmpty(await next.ReadPrefixAsync("deliveries/", 100));
    }

    private static Dictionary<string, StoreWrite> Two() => new()
    {
        ["k/a"] = new StoreWrite(JsonSerializer.SerializeToElement(new { v = 1 }), null),
        ["k/b"] = new StoreWrite(JsonSerializer.SerializeToElement(new { v = 2 }), null),
    };

    // A read cancelled while the store opens a pooled connection for it (a Direct Line stream's page read as the host
    // stops: its token fires at shutdown) must not leave that connection open. It did: OpenAsync opened it, the token
    // cancelled the per-connection settings that follow, and the connection, never handed out, was never closed — the
    // file kept its -wal and -shm after the store's disposal (what DirectLineEchoRedactionTests once saw) until a GC and
    // the pool's next sweep closed it a moment later.

    [Fact]
    public async Task A_read_cancelled_just_after_its_connection_opened_leaves_nothing_open_after_dispose()
    {
        var store = SqliteStorage.ForFile(Database, _clock);
        await store.WriteAsync(Two());
        using var stopping = new CancellationTokenSource();
        // The token fires exactly between the pooled connection's open and its settings: the shutdown's timing, made sure.
        store.PooledConnectionOpened = stopping.Cancel;
        // More keys than one kept reader's statement takes: that read goes to the pool (up to 8 keys stay on the readers).
        string[] many = ["k/a", "k/b", "k/c", "k/d", "k/e", "k/f", "k/g", "k/h", "k/i"];
        Assert.True(many.Length > SqliteStorage.KeysPerRead);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadAsync(many, stopping.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadPrefixAsync("k/", 10, stopping.Token));
        store.PooledConnectionOpened = null;

        await store.DisposeAsync();

        // Closed, not merely left for later (the old code: bot.db-shm and bot.db-wal here, gone after a GC and a sweep).
        var atDispose = Files();
        Assert.Equal(new[] { "bot.db" }, atDispose.Keys);
        await LetLeftoversRunAsync();
        AssertSameFiles(atDispose, Files());
        await using var next = SqliteStorage.ForFile(Database, _clock);
        Assert.Equal(2, (await next.ReadAsync(["k/a", "k/b"])).Count);
    }

    [Fact]
    public async Task Stores_stopped_while_readers_race_with_the_stop_token_leave_no_connection_open_time_after_time()
    {
        // What a host's stop does to a store, many times: streams' reads (multi-key and prefix, on pooled connections)
        // get the stopping token while the container disposes the store. Each round a new file, so every pooled
        // connection is new and pays its settings, the step a cancel could cut short.
        var leaks = new List<string>();
        for (var round = 0; round < 40; round++)
        {
            var path = Path.Combine(_folder, $"r{round:00}.db");
            var store = SqliteStorage.ForFile(path, _clock);
            await store.WriteAsync(Two());
            using var stopping = new CancellationTokenSource();
            using var started = new CountdownEvent(4);
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                started.Signal();
                try
                {
                    while (true)
                    {
                        await store.ReadAsync(["k/a", "k/b"], stopping.Token);
                        await store.ReadPrefixAsync("k/", 10, stopping.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            })).ToList();
            // Stop at a different moment each round, once the readers run: the token first, then the container's disposal,
            // as a host does.
            started.Wait(TimeSpan.FromSeconds(30));
            Thread.SpinWait(Random.Shared.Next(0, 200_000));
            await stopping.CancelAsync();
            await store.DisposeAsync();
            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));
            if (File.Exists(path + "-shm") || File.Exists(path + "-wal"))
            {
                leaks.Add($"round {round}");
            }
        }
        Assert.Empty(leaks);
    }
}
