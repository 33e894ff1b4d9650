using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The writer's and readers' kept connections mean the SQLite file is never "last closed" while a store on it lives,
/// so SQLite never empties the write-ahead log by itself: a row rewritten to remove a secret would keep its old copy
/// in the log. These prove a checkpoint (asked for, or at dispose) leaves no byte of the old row in any file, even with
/// another store (another process's kept connections) still open on it, and that writes queued around a dispose are
/// all answered (SqliteShutdownTests: and that nothing touches the files after).
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteCheckpointTests : IDisposable
{
    private const string Secret = "4111 1111 1111 1111";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ariabot-checkpoint-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

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

    private string ReadFiles() => string.Concat(Directory.GetFiles(_folder).Select(path => Encoding.UTF8.GetString(File.ReadAllBytes(path))));

    private static Dictionary<string, StoreWrite> One(string key, object value, string? eTag) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(value), eTag) };

    /// <summary>A row holding the secret, then rewritten without it (as the redaction does), read by a second store.</summary>
    private async Task<(SqliteStorage Store, SqliteStorage Other)> RewrittenSecretAsync()
    {
        var other = SqliteStorage.ForFile(Database, _clock);
        var store = SqliteStorage.ForFile(Database, _clock);
        var eTag = (await other.WriteAsync(One("dl/c/x/a/1", new { text = "my card is " + Secret }, null)))["dl/c/x/a/1"];
        await store.WriteAsync(One("dl/c/x/a/1", new { text = "my card is [card number removed]" }, eTag));
        Assert.Single(await other.ReadAsync(["dl/c/x/a/1"]));
        SqliteConnection.ClearAllPools();
        // The fact these tests rest on: without a checkpoint the old copy is still in the log.
        Assert.Contains(Secret, ReadFiles(), StringComparison.Ordinal);
        return (store, other);
    }

    [Fact]
    public async Task A_checkpoint_leaves_no_old_copy_of_a_rewritten_row_while_other_connections_stay_open()
    {
        var (store, other) = await RewrittenSecretAsync();

        Assert.True(await store.CheckpointAsync());

        SqliteConnection.ClearAllPools();
        var files = ReadFiles();
        Assert.Contains("[card number removed]", files, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, files, StringComparison.Ordinal);
        // Both stores carry on.
        await other.WriteAsync(One("k/after", new { v = 1 }, null));
        Assert.Single(await store.ReadAsync(["k/after"]));
        store.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Disposing_the_store_empties_the_log_even_when_another_store_keeps_the_file_open()
    {
        var (store, other) = await RewrittenSecretAsync();

        store.Dispose();

        SqliteConnection.ClearAllPools();
        Assert.DoesNotContain(Secret, ReadFiles(), StringComparison.Ordinal);
        other.Dispose();
    }

    [Fact]
    public async Task Writes_queued_around_a_dispose_are_all_answered_and_stored()
    {
        Directory.CreateDirectory(_folder);
        var store = SqliteStorage.ForFile(Database, _clock);
        await store.WriteAsync(One("k/seed", new { v = 0 }, null));
        var release = store.HoldWriter();
        var queued = Enumerable.Range(0, 20).Select(i => store.WriteAsync(One($"k/{i}", new { v = i }, null))).ToList();

        var disposing = Task.Run(store.Dispose);
        release();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30));
        // And after it the store refuses, rather than reopening a connection nobody would close.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync(One("k/late", new { v = 99 }, null)));
        store.Dispose();

        var reader = SqliteStorage.ForFile(Database, _clock);
        Assert.Equal(21, (await reader.ReadPrefixAsync("k/", 100)).Count);
        reader.Dispose();
    }
}
