using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>The SQLite connection pool is process-wide and other tests clear it; counting native connections needs it to ourselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqlitePoolCollection
{
    public const string Name = "sqlite-pool";
}

/// <summary>
/// SQLite's per-connection settings are applied once per native connection, not on every call; every connection a
/// call gets still has them, the file is in WAL mode, and eTag conflicts are still detected, also between two stores
/// on one file (as two processes would be).
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteConnectionSetupTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ariabot-setup-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, StoreWrite> One(string key, object value, string? eTag) =>
        new() { [key] = new StoreWrite(JsonSerializer.SerializeToElement(value), eTag) };

    private static async Task<string> PragmaAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task Settings_are_applied_once_per_native_connection_and_every_connection_has_them()
    {
        await using var store = SqliteStorage.ForFile(_path, _clock);
        await store.WriteAsync(One("k/first", new { i = -1 }, null));
        await store.ReadPrefixAsync("k/", 10);
        await store.ReadAsync(["k/first"]);
        // The writer's connection, a single-key reader's and a pooled one (prefix and multi-key reads).
        var afterFirstCalls = store.ConnectionsConfigured;
        Assert.InRange(afterFirstCalls, 1, 3);
        for (var i = 0; i < 50; i++)
        {
            await store.WriteAsync(One($"k/{i}", new { i }, null));
            await store.ReadAsync([$"k/{i}"]);
            await store.ReadPrefixAsync("k/", 10);
        }
        // 150 more sequential calls reuse the pooled connections: nothing is configured again.
        Assert.Equal(afterFirstCalls, store.ConnectionsConfigured);

        // Concurrent calls open more native connections; each is configured exactly once.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ReadPrefixAsync("k/", 10))));
        var configured = store.ConnectionsConfigured;
        Assert.InRange(configured, afterFirstCalls, afterFirstCalls + 8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ReadPrefixAsync("k/", 10))));
        Assert.InRange(store.ConnectionsConfigured, configured, afterFirstCalls + 8);

        await using var connection = await store.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        Assert.Equal("1", await PragmaAsync(connection, "secure_delete"));
        Assert.Equal("1", await PragmaAsync(connection, "synchronous")); // NORMAL
        Assert.Equal("30000", await PragmaAsync(connection, "busy_timeout"));
    }

    [Fact]
    public async Task ETag_conflicts_are_still_detected_on_reused_connections_and_across_stores()
    {
        await using var store = SqliteStorage.ForFile(_path, _clock);
        await using var other = SqliteStorage.ForFile(_path, _clock);
        var first = (await store.WriteAsync(One("conv/1", new { v = 1 }, null)))["conv/1"];
        await Assert.ThrowsAsync<StorageConflictException>(() => other.WriteAsync(One("conv/1", new { v = 0 }, null)));

        var second = (await other.WriteAsync(One("conv/1", new { v = 2 }, first)))["conv/1"];
        var stale = await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync(One("conv/1", new { v = 3 }, first)));
        Assert.Equal("conv/1", stale.Key);
        var stored = (await store.ReadAsync(["conv/1"]))["conv/1"];
        Assert.Equal(second, stored.ETag);
        Assert.Equal(2, stored.Document.GetProperty("v").GetInt32());

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? store : other).WriteAsync(One("conv/1", new { v = 10 + i }, second));
                return true;
            }
            catch (StorageConflictException)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(won => won));
    }
}
