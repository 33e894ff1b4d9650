using System.Threading.Channels;
using Microsoft.Data.Sqlite;

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

    /// <summary>Write transactions committed by this store's writer (for tests: fewer than writes under load).</summary>
    internal long WriteTransactions => Interlocked.Read(ref _writeTransactions);

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

    /// <summary>One caller's write: its changes with their documents as text and new eTags, made before it queued.</summary>
    private sealed class PendingWrite(PreparedChange[] changes, CancellationToken cancellationToken)
    {
        public PreparedChange[] Changes { get; } = changes;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource<IReadOnlyDictionary<string, string>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }

    private readonly record struct PreparedChange(string Key, string? Expected, string ETag, string Document, long? ExpiresMs);

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Everything that needs no database happens here, on the caller's thread: the writer is the one serial part.
        var prepared = new PreparedChange[changes.Count];
        var i = 0;
        foreach (var (key, change) in changes)
        {
            MemoryStorage.ValidateKey(key);
            prepared[i++] = new PreparedChange(key, change.ETag, NewETag(), change.Document.GetRawText(), change.ExpiresAt?.ToUnixTimeMilliseconds());
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
                    _connection.Commit(batch, NowMs());
                }
                Interlocked.Increment(ref _writeTransactions);
                foreach (var pending in batch)
                {
                    if (pending.Failure is null)
                    {
                        Interlocked.Increment(ref _writesCommitted);
                        pending.Done.TrySetResult(pending.Changes.ToDictionary(change => change.Key, change => change.ETag, StringComparer.Ordinal));
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
        private readonly SqliteCommand _begin;
        private readonly SqliteCommand _commit;
        private readonly SqliteCommand _rollback;
        private readonly SqliteCommand _select;
        private readonly SqliteCommand _upsert;

        private WriterConnection(SqliteConnection connection)
        {
            _connection = connection;
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _select = Prepare("SELECT etag FROM bot_state WHERE key = $key AND (expires_at IS NULL OR expires_at > $now)", "$key", "$now");
            _upsert = Prepare("""
                INSERT INTO bot_state (key, etag, document, expires_at) VALUES ($key, $etag, $document, $expires)
                ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, expires_at = excluded.expires_at
                """, "$key", "$etag", "$document", "$expires");
        }

        public static WriterConnection Open(string connectionString, Action configured) =>
            OpenOwnConnection(connectionString, configured, connection => new WriterConnection(connection));

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            command.Prepare();
            return command;
        }

        /// <summary>
        /// One transaction for the whole batch. A write whose condition fails is given its conflict and skipped before
        /// any of its keys is written; any other failure rolls everything back and throws (the caller fails the batch).
        /// </summary>
        public void Commit(List<PendingWrite> batch, long now)
        {
            _begin.ExecuteNonQuery();
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
                    pending.Failure = Check(pending.Changes, now);
                    if (pending.Failure is null)
                    {
                        foreach (var change in pending.Changes)
                        {
                            _upsert.Parameters[0].Value = change.Key;
                            _upsert.Parameters[1].Value = change.ETag;
                            _upsert.Parameters[2].Value = change.Document;
                            _upsert.Parameters[3].Value = change.ExpiresMs is { } expires ? expires : DBNull.Value;
                            _upsert.ExecuteNonQuery();
                        }
                    }
                }
                _commit.ExecuteNonQuery();
            }
            catch
            {
                if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                {
                    // Still inside the transaction (COMMIT itself did not end it): undo the batch.
                    _rollback.ExecuteNonQuery();
                }
                throw;
            }
        }

        private StorageConflictException? Check(PreparedChange[] changes, long now)
        {
            foreach (var change in changes)
            {
                _select.Parameters[0].Value = change.Key;
                _select.Parameters[1].Value = now;
                var current = _select.ExecuteScalar() as string;
                try
                {
                    MemoryStorage.EnsureCondition(change.Key, change.Expected, current);
                }
                catch (StorageConflictException conflict)
                {
                    return conflict;
                }
            }
            return null;
        }

        public void Checkpoint() => TryCheckpoint(_connection);

        public void Dispose()
        {
            foreach (var command in new[] { _begin, _commit, _rollback, _select, _upsert })
            {
                command.Dispose();
            }
            _connection.Dispose();
        }
    }
}
