using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace BotRuntime.State;

/// <summary>
/// Shared storage for several bot instances on PostgreSQL. Conditional writes lock the rows they check
/// (<c>SELECT … FOR UPDATE</c>, keys in ordinal order so two writers never deadlock), so an eTag check and
/// its write are one atomic step across processes; two creators of one key race on the primary key and the
/// loser gets a conflict. Documents are stored as text, exactly as written.
/// </summary>
public sealed partial class PostgresStorage : IStorage
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly string _table;
    // Not a Lazy<Task>: a CREATE TABLE that failed (the database not reachable yet at start) must be tried again by the
    // next call, not remembered as failed until the process restarts.
    private readonly Lock _initializationGate = new();
    private Task? _initialization;

    public PostgresStorage(NpgsqlDataSource dataSource, TimeProvider timeProvider, string table = "bot_state")
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _timeProvider = timeProvider;
        if (!TableName().IsMatch(table))
        {
            throw new ArgumentException("The table name must be a plain lower-case SQL identifier.", nameof(table));
        }
        _table = table;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex TableName();

    private Task InitializeAsync()
    {
        lock (_initializationGate)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = CreateTableAsync();
            }
            return _initialization;
        }
    }

    private async Task CreateTableAsync()
    {
        await using var command = _dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS {_table} (
                key        text COLLATE "C" PRIMARY KEY,
                etag       text        NOT NULL,
                document   text        NOT NULL,
                expires_at timestamptz NULL
            );
            CREATE INDEX IF NOT EXISTS ix_{_table}_expires ON {_table} (expires_at) WHERE expires_at IS NOT NULL;
            """);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync().ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT key, etag, document, expires_at FROM {_table} WHERE key = ANY($1) AND (expires_at IS NULL OR expires_at > $2)", connection);
        command.Parameters.AddWithValue(keys.ToArray());
        command.Parameters.AddWithValue(Now());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = ReadItem(reader);
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return result;
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = Now();
        try
        {
            foreach (var (key, change) in changes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                MemoryStorage.ValidateKey(key);
                await using var select = new NpgsqlCommand($"SELECT etag, expires_at FROM {_table} WHERE key = $1 FOR UPDATE", connection, transaction);
                select.Parameters.AddWithValue(key);
                string? current = null;
                var rowExists = false;
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rowExists = true;
                        var live = reader.IsDBNull(1) || reader.GetFieldValue<DateTimeOffset>(1) > now;
                        current = live ? reader.GetString(0) : null;
                    }
                }
                MemoryStorage.EnsureCondition(key, change.ETag, current);

                var eTag = SqliteStorage.NewETag();
                var sql = rowExists
                    ? $"UPDATE {_table} SET etag = $2, document = $3, expires_at = $4 WHERE key = $1"
                    : $"INSERT INTO {_table} (key, etag, document, expires_at) VALUES ($1, $2, $3, $4)";
                await using var write = new NpgsqlCommand(sql, connection, transaction);
                write.Parameters.AddWithValue(key);
                write.Parameters.AddWithValue(eTag);
                write.Parameters.AddWithValue(change.Document.GetRawText());
                write.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = change.ExpiresAt?.ToUniversalTime() });
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                result[key] = eTag;
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created the key between our check and our insert.
            throw new StorageConflictException("A key was created by someone else while this write was checking it.", exception);
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE key = ANY($1)", connection);
        command.Parameters.AddWithValue(keys.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // key is COLLATE "C" (code point order), so the prefix is a range on the primary key; the upper bound ends the
        // index scan at the end of the prefix instead of filtering every later row.
        var upper = KeyRange.UpperBound(prefix);
        await using var command = new NpgsqlCommand($"""
            SELECT key, etag, document, expires_at FROM {_table}
            WHERE key >= $1 {(upper is null ? "" : "AND key < $4")} AND starts_with(key, $1) AND (expires_at IS NULL OR expires_at > $2)
            ORDER BY key LIMIT $3
            """, connection);
        command.Parameters.AddWithValue(prefix);
        command.Parameters.AddWithValue(Now());
        command.Parameters.AddWithValue(limit);
        if (upper is not null)
        {
            command.Parameters.AddWithValue(upper);
        }
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
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE expires_at IS NOT NULL AND expires_at <= $1", connection);
        command.Parameters.AddWithValue(Now());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private DateTimeOffset Now() => _timeProvider.GetUtcNow().ToUniversalTime();

    private static StoreItem ReadItem(NpgsqlDataReader reader)
    {
        using var document = JsonDocument.Parse(reader.GetString(2));
        DateTimeOffset? expires = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        return new StoreItem(document.RootElement.Clone(), reader.GetString(1), expires);
    }
}
