using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotRuntime.State;

/// <summary>
/// The store's one writer (issue 22): every <see cref="WriteAsync"/> of this process queues here, and a single loop
/// commits whatever has queued meanwhile — the turns of many conversations — in <em>one</em> <c>BEGIN IMMEDIATE</c>
/// transaction (group commit) on a connection of its own whose statements are prepared once and reused. SQLite lets
/// one writer at a time into the file anyway; before, every turn's write took the file's lock and paid its own commit,
/// and concurrent writers spun in the busy handler. Each caller still gets its own answer: its keys' eTags are checked
/// in the transaction, in queue order, after the writes queued before it (so two writes of one key in one batch behave
/// as they would one after the other), and a failed condition fails that caller alone, before any of its keys is
/// written. A caller is answered only after the commit returned, so its write is stored before its turn goes on (the
/// redelivery claim before the turn runs; the end-of-turn write before the reply goes).
/// </summary>
public sealed partial class SqliteStorage
{
    /// <summary>Writes committed in one transaction at most, so one transaction never holds the file's lock for long.</summary>
    internal const int MaxBatch = 256;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerGate = new();
    // Held by the writer while it commits and by disposal while it checkpoints and closes the connection.
    private readonly Lock _connectionGate = new();
    private Task? _writer;
    private WriterConnection? _connection;
    private TaskCompletionSource? _hold;
    private long _writeTransactions;
    private long _writesCommitted;
    private long _conditionReads;

    /// <summary>Write transactions committed by this store's writer (for tests: fewer than writes under load).</summary>
    internal long WriteTransactions => Interlocked.Read(ref _writeTransactions);

    /// <summary>Stored eTags the writer looked up to check a write's conditions (for tests: none for <see cref="StoreWrite.AnyETag"/>).</summary>
    internal long ConditionReads => Interlocked.Read(ref _conditionReads);

    /// <summary>Writes (calls of <see cref="WriteAsync"/>) stored by this store's writer.</summary>
    internal long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    /// <summary>
    /// For tests: the writer takes nothing from its queue until the returned action is called, so writes queued meanwhile
    /// are committed together, in one transaction.
    /// </summary>
    internal Action HoldWriter()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hold, hold);
        return () =>
        {
            Volatile.Write(ref _hold, null);
            hold.TrySetResult();
        };
    }

    /// <summary>One caller's write: its changes with their new eTags, made before it queued.</summary>
    private sealed class PendingWrite(PreparedChange[] changes, CancellationToken cancellationToken)
    {
        public PreparedChange[] Changes { get; } = changes;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource<IReadOnlyDictionary<string, string>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }

    /// <summary>
    /// A key's change. The document stays the caller's element (its UTF-8 is bound as the row's text by the writer): the
    /// caller waits for its answer, so the element lives until the commit, and no UTF-16 copy of it is made.
    /// </summary>
    private readonly record struct PreparedChange(string Key, string? Expected, string ETag, StoreWrite Write, long? ExpiresMs);

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // The turn's copy of a key it writes is stale from now on: its next read goes to the file.
        TurnReadAhead.Current?.Forget(changes.Keys);
        // Everything that needs no database happens here, on the caller's thread: the writer is the one serial part.
        var prepared = new PreparedChange[changes.Count];
        var i = 0;
        foreach (var (key, change) in changes)
        {
            MemoryStorage.ValidateKey(key);
            // Checked here, as GetRawText did: an element that holds no value fails its caller alone, not the writer's batch.
            _ = change.Utf8;
            prepared[i++] = new PreparedChange(key, change.ETag, NewETag(), change, change.ExpiresAt?.ToUnixTimeMilliseconds());
        }
        var pending = new PendingWrite(prepared, cancellationToken);
        Enqueue(pending);
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Queues for the writer (starting it the first time); once disposal began the queue is closed and this throws.</summary>
    private void Enqueue(PendingWrite pending)
    {
        if (Volatile.Read(ref _writer) is null)
        {
            lock (_writerGate)
            {
                // Not started once disposal began: disposal waits only for a writer it saw, and the queue is closed anyway.
                if (_writer is null && !IsClosed)
                {
                    _writer = Task.Run(WriteLoopAsync);
                }
            }
        }
        // Unbounded: refused only when disposal closed it, and then nothing was queued — the caller is told, never left waiting.
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteStorage));
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Volatile.Read(ref _hold) is { } hold)
            {
                await hold.Task.ConfigureAwait(false);
            }
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await _initialized.Value.ConfigureAwait(false);
                lock (_connectionGate)
                {
                    _connection ??= WriterConnection.Open(_connectionString, MarkConfigured);
                    Interlocked.Add(ref _conditionReads, _connection.Commit(batch, NowMs()));
                }
                Interlocked.Increment(ref _writeTransactions);
                foreach (var pending in batch)
                {
                    if (pending.Failure is null)
                    {
                        Interlocked.Increment(ref _writesCommitted);
                        pending.Done.TrySetResult(AnswerOf(pending.Changes));
                    }
                    else
                    {
                        pending.Done.TrySetException(pending.Failure);
                    }
                }
            }
#pragma warning disable CA1031 // The loop must outlive any failure, or every later write would wait forever; the batch's callers get it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // Nothing of the batch is stored (the transaction rolled back). A broken connection is opened afresh next time.
                lock (_connectionGate)
                {
                    _connection?.Dispose();
                    _connection = null;
                }
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }
        }
    }

    private void MarkConfigured() => Interlocked.Increment(ref _connectionsConfigured);

    /// <summary>The writer's own connection (not pooled: nobody else may use it) and its prepared statements.</summary>
    private sealed class WriterConnection : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly List<sqlite3_stmt> _statements = [];
        private readonly sqlite3_stmt _begin;
        private readonly sqlite3_stmt _commit;
        private readonly sqlite3_stmt _rollback;
        private readonly sqlite3_stmt _select;
        private readonly sqlite3_stmt _upsert;

        private WriterConnection(SqliteConnection connection)
        {
            _connection = connection;
            try
            {
                _begin = Prepare("BEGIN IMMEDIATE");
                _commit = Prepare("COMMIT");
                _rollback = Prepare("ROLLBACK");
                _select = Prepare("SELECT etag FROM bot_state WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)");
                _upsert = Prepare("""
                    INSERT INTO bot_state (key, etag, document, expires_at) VALUES (?1, ?2, ?3, ?4)
                    ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, expires_at = excluded.expires_at
                    """);
            }
            catch
            {
                DisposeStatements();
                throw;
            }
        }

        public static WriterConnection Open(string connectionString, Action configured) =>
            OpenOwnConnection(connectionString, configured, connection => new WriterConnection(connection));

        private sqlite3_stmt Prepare(string sql)
        {
            var statement = RawStatements.Prepare(_connection, sql);
            _statements.Add(statement);
            return statement;
        }

        /// <summary>
        /// One transaction for the whole batch. A write whose condition fails is given its conflict and skipped before
        /// any of its keys is written; any other failure rolls everything back and throws (the caller fails the batch).
        /// Returns how many stored eTags were looked up.
        /// </summary>
        public int Commit(List<PendingWrite> batch, long now)
        {
            var lookups = 0;
            RawStatements.Execute(_connection, _begin);
            try
            {
                foreach (var pending in batch)
                {
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        // Not yet written: the caller gave up before its turn in the queue, so it is not written at all.
                        pending.Failure = new OperationCanceledException(pending.CancellationToken);
                        continue;
                    }
                    pending.Failure = Check(pending.Changes, now, ref lookups);
                    if (pending.Failure is null)
                    {
                        foreach (var change in pending.Changes)
                        {
                            Upsert(change);
                        }
                    }
                }
                RawStatements.Execute(_connection, _commit);
                return lookups;
            }
            catch
            {
                if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                {
                    // Still inside the transaction (COMMIT itself did not end it): undo the batch.
                    RawStatements.Execute(_connection, _rollback);
                }
                throw;
            }
        }

        private void Upsert(PreparedChange change)
        {
            raw.sqlite3_bind_text(_upsert, 1, change.Key);
            raw.sqlite3_bind_text(_upsert, 2, change.ETag);
            // The element's own UTF-8 (what GetRawText transcoded to a string before), stored as the row's text.
            raw.sqlite3_bind_text(_upsert, 3, change.Write.Utf8);
            if (change.ExpiresMs is { } expires)
            {
                raw.sqlite3_bind_int64(_upsert, 4, expires);
            }
            else
            {
                raw.sqlite3_bind_null(_upsert, 4);
            }
            RawStatements.Execute(_connection, _upsert);
        }

        private StorageConflictException? Check(PreparedChange[] changes, long now, ref int lookups)
        {
            foreach (var change in changes)
            {
                if (change.Expected == StoreWrite.AnyETag)
                {
                    // Any version will do (a done record, a marker's end): no statement to learn which one is stored.
                    continue;
                }
                lookups++;
                bool exists, ok;
                try
                {
                    raw.sqlite3_bind_text(_select, 1, change.Key);
                    raw.sqlite3_bind_int64(_select, 2, now);
                    exists = RawStatements.Step(_connection, _select);
                    // Compared as the file's bytes: no string of the stored eTag per checked key.
                    ok = change.Expected is null ? !exists : exists && RawStatements.TextEquals(raw.sqlite3_column_blob(_select, 0), change.Expected);
                }
                finally
                {
                    raw.sqlite3_reset(_select);
                }
                if (!ok)
                {
                    return new StorageConflictException(change.Key, change.Expected, exists);
                }
            }
            return null;
        }

        public void Checkpoint() => TryCheckpoint(_connection);

        public void Dispose()
        {
            // Statements first: a connection closed with a statement still open only closes when that one is finalized.
            DisposeStatements();
            _connection.Dispose();
        }

        private void DisposeStatements()
        {
            foreach (var statement in _statements)
            {
                statement.Dispose();
            }
            _statements.Clear();
        }
    }
}
