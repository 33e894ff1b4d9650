using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace BotRuntime.State;

/// <summary>
/// Shared storage for several bot instances on PostgreSQL, one round trip per call. A write is one call of the
/// function <c>{table}_write_v3</c> (created at start; v1 and v2 stay for older instances): it checks the turn's fencing token (<see cref="TurnFence"/>)
/// against the conversation's lease row, then each key's eTag under a row lock (keys in ordinal order, so two writers
/// never deadlock), and writes all keys or none, in the one implicit transaction of a single statement. Two
/// creators of one key race on the primary key and the loser gets a conflict. Documents are stored as text, exactly
/// as written. Connections come from a data source made by <see cref="CreateDataSource"/>: statements auto-prepared
/// and no reset on close, so nothing here relies on session state (no session settings, no advisory locks).
/// </summary>
public sealed partial class PostgresStorage : IStorage
{
    /// <summary>SQLSTATE raised by the write function when an eTag condition fails (message: the key; hint: exists/absent).</summary>
    private const string ConflictState = "AB001";

    /// <summary>SQLSTATE raised by the write function when the turn's lease is no longer held under its token.</summary>
    private const string LeaseLostState = "AB002";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly string _table;
    // Not a Lazy<Task>: a CREATE TABLE that failed (the database not reachable yet at start) must be tried again by the
    // next call, not remembered as failed until the process restarts.
    private readonly Lock _initializationGate = new();
    private Task? _initialization;
    private readonly Statements _sql;

    public PostgresStorage(NpgsqlDataSource dataSource, TimeProvider timeProvider, string table = "bot_state")
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _timeProvider = timeProvider;
        if (!TableName().IsMatch(table))
        {
            throw new ArgumentException("The table name must be a plain lower-case SQL identifier of at most 48 characters.", nameof(table));
        }
        _table = table;
        _sql = new Statements(table);
    }

    // 48, not 63: the lease table, its token sequence and the write function are named after it with a suffix.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,47}$")]
    private static partial Regex TableName();

    /// <summary>
    /// A data source for this store: statements auto-prepared (a turn's few statements are the same every time) and
    /// no reset on close (the reset doubled the round trips of every call). Settings given explicitly in the
    /// connection string win. Needs nothing from the session, so transaction pooling (PgBouncer) is fine here; only
    /// the Direct Line push listener needs a session of its own (docs/scale-out.md).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    private Task InitializeAsync()
    {
        // Every call of every turn passes here: once the schema is made, no lock (a reference read is atomic, and a
        // completed task never changes).
        if (Volatile.Read(ref _initialization) is { IsCompletedSuccessfully: true } done)
        {
            return done;
        }
        lock (_initializationGate)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = CreateSchemaAsync();
            }
            return _initialization;
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        // Instances starting together would otherwise race on CREATE … IF NOT EXISTS and CREATE OR REPLACE FUNCTION
        // ("tuple concurrently updated"). A transaction-level lock: it ends with the transaction, never with a session.
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            gate.Parameters.AddWithValue("ariabot-schema:" + _table);
            await gate.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        await using (var command = new NpgsqlCommand(SchemaSql(_table), connection, transaction))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        await transaction.CommitAsync().ConfigureAwait(false);
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
        if (TurnReadAhead.Current?.TryServe(this, keys) is { } readAhead)
        {
            return readAhead;
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Sent as one statement for any number of keys, `key = ANY($1)` was planned again on every call: its generic plan
        // assumes ten keys and looks dearer than a custom plan for the call's own, so the server never settles on it. One
        // key is `key = $1`, whose generic plan the server takes after five calls; more go through {table}_read_v1,
        // which forces the generic plan (issue 22).
        await using var command = keys.Count == 1
            ? new NpgsqlCommand(_sql.ReadOne, connection)
            : new NpgsqlCommand(_sql.ReadMany, connection);
        if (keys.Count == 1)
        {
            command.Parameters.AddWithValue(keys.First());
        }
        else
        {
            command.Parameters.AddWithValue(keys.ToArray());
        }
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
        var (keys, expected, eTags, documents, expires) = WriteArrays(changes, result);
        var fence = TurnFence.Current is { IsActive: true } current ? current : null;
        // The turn's closing write gives its lease back in the same statement; one statement text for every write, so
        // one prepared statement per connection.
        var release = fence is not null && ReferenceEquals(TurnFence.ReleasingWith, fence);
        TurnReadAhead.Current?.Forget(keys);

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_sql.Write, connection);
        command.Parameters.AddWithValue(keys);
        command.Parameters.AddWithValue(expected);
        command.Parameters.AddWithValue(eTags);
        command.Parameters.Add(DocumentsParameter(documents));
        command.Parameters.AddWithValue(expires);
        command.Parameters.AddWithValue(Now());
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = fence?.ConversationKey, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = fence?.Token, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(release);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (release)
            {
                fence!.MarkReleased();
            }
            return result;
        }
        catch (PostgresException exception) when (exception.SqlState == ConflictState)
        {
            throw new StorageConflictException(exception.MessageText, expected[Array.IndexOf(keys, exception.MessageText)], exception.Hint == "exists");
        }
        catch (PostgresException exception) when (exception.SqlState == LeaseLostState)
        {
            throw new LeaseLostException($"The turn's lease on its conversation was lost; nothing was written.", exception);
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
        TurnReadAhead.Current?.Forget(keys);
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
        var purged = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Expired leases too: tokens come from a sequence, so a deleted row can never make a stale token valid again.
        await using var leases = new NpgsqlCommand($"DELETE FROM {_table}_leases WHERE expires_at <= $1", connection);
        leases.Parameters.AddWithValue(Now());
        await leases.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    private DateTimeOffset Now() => _timeProvider.GetUtcNow().ToUniversalTime();
}
