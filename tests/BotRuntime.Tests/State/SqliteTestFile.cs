using BotRuntime.State;
using Microsoft.Data.Sqlite;

namespace BotRuntime.Tests.State;

/// <summary>
/// A SQLite database file of one test's own in the temp folder. Every store opened on it (the test's, and any "second
/// process" on the same file) is disposed when the test ends; then the pools are cleared and the file, its log and its
/// shared memory are deleted, so no test leaves a file or a connection behind for the next.
/// </summary>
internal sealed class SqliteTestFile(string prefix) : IAsyncDisposable
{
    private readonly List<SqliteStorage> _stores = [];

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");

    /// <summary>A new store on the file, as another process would open it; disposed with this.</summary>
    public SqliteStorage Open(TimeProvider clock)
    {
        var store = SqliteStorage.ForFile(Path, clock);
        lock (_stores)
        {
            _stores.Add(store);
        }
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteStorage[] stores;
        lock (_stores)
        {
            stores = [.. _stores];
        }
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
