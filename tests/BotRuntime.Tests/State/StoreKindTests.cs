using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// Set-up shared by the tests that run one scenario on the in-memory store and on SQLite alike (theory data
/// "memory" / "sqlite"): a fixed clock both stores expire by and a throw-away SQLite file removed afterwards. Classes
/// deriving from it belong to <see cref="SqlitePoolCollection"/> (clearing SQLite's pools is process-wide).
/// </summary>
public abstract class StoreKindTests : IDisposable
{
    private readonly string _path;

    /// <param name="name">Part of the SQLite file's name, so a left-over file says which tests wrote it.</param>
    protected StoreKindTests(string name)
    {
        _path = Path.Combine(Path.GetTempPath(), $"ariabot-{name}-{Guid.NewGuid():N}.db");
    }

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A store of <paramref name="kind"/> ("sqlite" or "memory"); every sqlite store of one test shares its file.</summary>
    protected IStorage Store(string kind)
    {
        if (kind != "sqlite")
        {
            return new MemoryStorage(Clock);
        }
        var store = SqliteStorage.ForFile(_path, Clock);
        _sqliteStores.Add(store);
        return store;
    }

    // Disposed at the end of the test: a store left to a finalizer closes its connections (and rewrites the file's log)
    // at some later GC, under whichever test runs then.
    private readonly List<SqliteStorage> _sqliteStores = [];

    public void Dispose()
    {
        foreach (var store in _sqliteStores)
        {
            store.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
        GC.SuppressFinalize(this);
    }
}
