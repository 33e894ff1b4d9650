using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace BotRuntime.State;

/// <summary>
/// Durable single-node storage on SQLite (WAL, busy timeout). Writes go through one writer per store
/// (<c>SqliteStorage.Writer.cs</c>) that commits the writes queued meanwhile in one <c>BEGIN IMMEDIATE</c>
/// transaction, so the eTag checks and the writes see the same snapshot even when several processes share the file.
/// </summary>
public sealed partial class SqliteStorage : IStorage
{
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<Task> _initialized;

    public SqliteStorage(string connectionString, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout expires; writers queue instead of failing.
            DefaultTimeout = 30,
            Pooling = true,
        };
        _connectionString = builder.ToString();
        _timeProvider = timeProvider;
        _initialized = new Lazy<Task>(InitializeAsync);
    }

    /// <summary>Storage in a file, creating its folder when needed.</summary>
    public static SqliteStorage ForFile(string path, TimeProvider timeProvider)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        return new SqliteStorage(new SqliteConnectionStringBuilder { DataSource = fullPath }.ToString(), timeProvider);
    }

    private async Task InitializeAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS bot_state (
                key        TEXT    NOT NULL PRIMARY KEY,
                etag       TEXT    NOT NULL,
                document   TEXT    NOT NULL,
                expires_at INTEGER NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_bot_state_expires ON bot_state (expires_at) WHERE expires_at IS NOT NULL;
            """;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _initialized.Value.ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            PooledConnectionOpened?.Invoke();
            // The pool hands back the same native connection many times and these settings live on it, so they are set
            // once per native connection rather than on every call (which cost a statement per storage call).
            if (!Configured.TryGetValue(connection.Handle!, out _))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = ConnectionPragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Configured.AddOrUpdate(connection.Handle!, ConfiguredMark);
                Interlocked.Increment(ref _connectionsConfigured);
            }
            return connection;
        }
        catch
        {
            // Never handed out, so no caller would close it: a token cancelled after the open (a stream's read as the host
            // stops) left it open past the store's disposal — ClearPool closes idle connections only — with the file's
            // -wal and -shm, until a GC and the pool's next sweep. Closed here it goes back to the pool, which disposal clears.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>For tests: runs when a pooled connection has opened, before its settings (where a host's stop can cancel).</summary>
    internal Action? PooledConnectionOpened { get; set; }

    // secure_delete: a row rewritten or deleted (a redacted echo, an expired log) leaves no readable remains in the file.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;";

    /// <summary>
    /// A connection of its own, outside the pool (each reader's and the single writer's: they keep prepared statements on
    /// it for their lifetime), opened and configured with <see cref="ConnectionPragmas"/>, then handed to
    /// <paramref name="wrap"/>. The one place those connections are opened: if configuring or wrapping fails, it is closed.
    /// </summary>
    private static T OpenOwnConnection<T>(string connectionString, Action configured, Func<SqliteConnection, T> wrap)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = ConnectionPragmas;
                pragma.ExecuteNonQuery();
            }
            configured();
            return wrap(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Keyed weakly by the native handle: a handle the pool closes and drops takes its entry with it.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object ConfiguredMark = new();
    private int _connectionsConfigured;

    /// <summary>How many native connections this store has configured (for tests: far fewer than calls).</summary>
    internal int ConnectionsConfigured => Volatile.Read(ref _connectionsConfigured);

    private long _fileReads;

    /// <summary>Reads by key that went to the file (for tests: a read served from the turn's read-ahead is not one).</summary>
    internal long FileReads => Interlocked.Read(ref _fileReads);

    public async Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Enter();
        try
        {
            // What this store read for the turn when it started (SqliteStorage.Turn.cs), once. A turn's reads are nearly
            // all of one key (its state, its binding): answered without a dictionary.
            if (TurnReadAhead.Current is { } readAhead)
            {
                if (keys.Count == 1)
                {
                    var key = keys.First();
                    if (readAhead.TryServeOne(this, key, out var item))
                    {
                        return new OneItem(key, item);
                    }
                }
                else if (readAhead.TryServe(this, keys) is { } served)
                {
                    return served;
                }
            }
            return await ReadCoreAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }
        TurnReadAhead.Current?.Forget(keys);
        Enter();
        try
        {
            await DeleteCoreAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async Task DeleteCoreAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM bot_state WHERE key IN ({KeyParameters(command, keys)})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Binds each key as <c>$k0</c>, <c>$k1</c>… and gives the list for an <c>IN (…)</c>.</summary>
    private static string KeyParameters(SqliteCommand command, IEnumerable<string> keys) =>
        string.Join(',', keys.Select((key, i) =>
        {
            command.Parameters.AddWithValue($"$k{i}", key);
            return $"$k{i}";
        }));

    public async Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Enter();
        try
        {
            return await ReadPrefixCoreAsync(prefix, limit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixCoreAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // A range on the primary key (BINARY collation = byte order) uses the index. The upper bound stops the scan at
        // the end of the prefix (without it every later row was read to find none); substr() stays as the exact test.
        var upper = KeyRange.UpperBound(prefix);
        command.CommandText = $"""
            SELECT key, etag, document, expires_at FROM bot_state
            WHERE key >= $prefix {(upper is null ? "" : "AND key < $upper")} AND substr(key, 1, length($prefix)) = $prefix AND (expires_at IS NULL OR expires_at > $now)
            ORDER BY key LIMIT $limit
            """;
        command.Parameters.AddWithValue("$prefix", prefix);
        if (upper is not null)
        {
            command.Parameters.AddWithValue("$upper", upper);
        }
        command.Parameters.AddWithValue("$now", NowMs());
        command.Parameters.AddWithValue("$limit", limit);
        List<KeyValuePair<string, StoreItem>> result = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new(reader.GetString(0), ReadItem(reader)));
        }
        return result;
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            return await PurgeExpiredCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async Task<int> PurgeExpiredCoreAsync(CancellationToken cancellationToken)
    {
        // In batches, each its own short write transaction, so a large backlog never holds the file's write lock
        // for long: turns' writes queue behind one batch at most, not behind the whole sweep.
        var now = NowMs();
        var purged = 0;
        while (true)
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM bot_state WHERE key IN (
                    SELECT key FROM bot_state WHERE expires_at IS NOT NULL AND expires_at <= $now LIMIT $batch)
                """;
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$batch", PurgeBatch);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            purged += deleted;
            if (deleted < PurgeBatch)
            {
                return purged;
            }
        }
    }

    /// <summary>Expired rows deleted per write transaction of a purge.</summary>
    internal const int PurgeBatch = 500;

    private long NowMs() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static StoreItem ReadItem(SqliteDataReader reader)
    {
        using var document = JsonDocument.Parse(reader.GetString(2));
        DateTimeOffset? expires = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
        return new StoreItem(document.RootElement.Clone(), reader.GetString(1), expires);
    }

    internal static string NewETag()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }
}
