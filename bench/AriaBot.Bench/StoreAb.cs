using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.Data.Sqlite;

/// <summary>
/// Same-run A/B of SQLite state (issue 22): V concurrent "turns" (read a conversation's document, write it back under
/// its eTag) on the store as it was before (<see cref="LegacySqliteStore"/>: a pooled connection and a fresh command per
/// call, one <c>BEGIN IMMEDIATE</c> transaction per write) and on <see cref="SqliteStorage"/> now (one writer with group
/// commit and prepared statements, kept single-key readers), rounds interleaved so the machine's load falls on both
/// alike. Reports per turn: CPU ms of this process, bytes allocated, and turns/s. Every write's eTag is checked: a lost
/// update or a conflict is an error.
/// </summary>
internal static class StoreAb
{
    public static async Task<int> RunAsync(Options options)
    {
        var seconds = options.Int("seconds", 3);
        var rounds = options.Int("rounds", 3);
        var users = options.Int("users", 16);
        var folder = Directory.CreateTempSubdirectory("bench-store-ab").FullName;
        var totals = new Dictionary<string, (long Turns, double CpuMs, long Bytes, double Seconds)>(StringComparer.Ordinal);
        var errors = 0;
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in new[] { "before", "now" })
                {
                    var path = Path.Combine(folder, $"{variant}-{round}.db");
                    IStorage store = variant == "before" ? new LegacySqliteStore(path) : SqliteStorage.ForFile(path, TimeProvider.System);
                    var (turns, cpu, bytes, elapsed, failed) = await MeasureAsync(store, users, seconds).ConfigureAwait(false);
                    (store as IDisposable)?.Dispose();
                    errors += failed;
                    var sum = totals.GetValueOrDefault(variant);
                    totals[variant] = (sum.Turns + turns, sum.CpuMs + cpu, sum.Bytes + bytes, sum.Seconds + elapsed);
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
        foreach (var (variant, total) in totals)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"sqlite state {variant,-6} V={users}: {total.Turns / total.Seconds,8:F0} turns/s  cpu {total.CpuMs / total.Turns,7:F3} ms/turn  {total.Bytes / 1024.0 / total.Turns,6:F1} KB/turn");
            Console.WriteLine(line);
            Results.Append(options, $"sqlite-state-{variant}", users, total.Turns / total.Seconds, cpu: total.CpuMs / total.Turns, allocKb: total.Bytes / 1024.0 / total.Turns);
        }
        Console.WriteLine($"  errors {errors}");
        return errors == 0 ? 0 : 1;
    }

    private static async Task<(long Turns, double CpuMs, long Bytes, double Seconds, int Errors)> MeasureAsync(IStorage store, int users, int seconds)
    {
        // Each user's conversation exists before the clock starts (a turn reads what the one before it wrote).
        for (var user = 0; user < users; user++)
        {
            await store.WriteAsync(new Dictionary<string, StoreWrite> { [$"test/conversations/{user}"] = new(Document(0), null) }).ConfigureAwait(false);
        }
        long turns = 0;
        var errors = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            var key = $"test/conversations/{user}";
            var expected = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var item = (await store.ReadAsync([key]).ConfigureAwait(false))[key];
                if (item.Document.GetProperty("turn").GetInt32() != expected)
                {
                    Interlocked.Increment(ref errors);
                }
                await store.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(Document(++expected), item.ETag) }).ConfigureAwait(false);
                Interlocked.Increment(ref turns);
            }
        }))).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        return (turns, cpu, GC.GetTotalAllocatedBytes(precise: false) - bytesBefore, elapsed, errors);
    }

    private static JsonElement Document(int turn) =>
        JsonSerializer.SerializeToElement(new { turn, DialogState = new { stack = new[] { new { id = "booking", state = new { step = turn % 5 } } } } });
}

/// <summary>
/// The SQLite store's read and write as they were before the single writer (commit 352c446), kept here only as the A/B
/// baseline: a pooled connection and a new command per call, one <c>BEGIN IMMEDIATE</c> transaction per write.
/// </summary>
internal sealed class LegacySqliteStore : IStorage, IDisposable
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Mark = new();
    private readonly string _connectionString;

    public LegacySqliteStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS bot_state (key TEXT NOT NULL PRIMARY KEY, etag TEXT NOT NULL, document TEXT NOT NULL, expires_at INTEGER NULL) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Before too, the settings were made once per native connection (not what the single writer changed).
        if (!Configured.TryGetValue(connection.Handle!, out _))
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;";
            pragma.ExecuteNonQuery();
            Configured.AddOrUpdate(connection.Handle!, Mark);
        }
        return connection;
    }

    public async Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var names = keys.Select((key, i) =>
        {
            command.Parameters.AddWithValue($"$k{i}", key);
            return $"$k{i}";
        }).ToList();
        command.CommandText = $"SELECT key, etag, document, expires_at FROM bot_state WHERE key IN ({string.Join(',', names)}) AND (expires_at IS NULL OR expires_at > $now)";
        command.Parameters.AddWithValue("$now", 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(reader.GetString(2));
            result[reader.GetString(0)] = new StoreItem(document.RootElement.Clone(), reader.GetString(1));
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (key, change) in changes)
        {
            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = "SELECT etag FROM bot_state WHERE key = $key AND (expires_at IS NULL OR expires_at > $now)";
            select.Parameters.AddWithValue("$key", key);
            select.Parameters.AddWithValue("$now", 0L);
            var current = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (change.ETag != StoreWrite.AnyETag && change.ETag != current)
            {
                throw new StorageConflictException(key, change.ETag, current is not null);
            }
        }
        foreach (var (key, change) in changes)
        {
            var eTag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO bot_state (key, etag, document, expires_at) VALUES ($key, $etag, $document, $expires)
                ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, expires_at = excluded.expires_at
                """;
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$etag", eTag);
            upsert.Parameters.AddWithValue("$document", change.Document.GetRawText());
            upsert.Parameters.AddWithValue("$expires", DBNull.Value);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            result[key] = eTag;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose() => SqliteConnection.ClearAllPools();
}
