using System.Collections.Concurrent;

namespace BotRuntime.State;

/// <summary>
/// The store's one committer at a time (issue 22): every <see cref="WriteAsync"/> of this process queues here, and
/// whoever commits takes whatever has queued — the turns of many conversations — in <em>one</em> <c>BEGIN IMMEDIATE</c>
/// transaction (group commit) on a connection of the store's own whose statements are prepared once and reused. SQLite
/// lets one writer at a time into the file anyway; before, every turn's write took the file's lock and paid its own
/// commit, and concurrent writers spun in the busy handler. Each caller still gets its own answer: its keys' eTags are
/// checked in the transaction, in queue order, after the writes queued before it (so two writes of one key in one batch
/// behave as they would one after the other), and a failed condition fails that caller alone, before any of its keys is
/// written. A caller is answered only after the commit returned, so its write is stored before its turn goes on (the
/// redelivery claim before the turn runs; the end-of-turn write before the reply goes).
/// </summary>
/// <remarks>
/// A write that finds nobody committing is committed on its caller's thread, inside the call (issue 22, x/sqlite4): a
/// dedicated writer cost every write a hop to the writer's thread and one back — four thread switches per turn (claim
/// and closing write). Writes arriving while a commit is under way queue, and the committer (or, once its own write is
/// answered, a thread-pool item it leaves behind) commits them together next, so under load the batches still form.
/// </remarks>
public sealed partial class SqliteStorage
{
    /// <summary>Writes committed in one transaction at most, so one transaction never holds the file's lock for long.</summary>
    internal const int MaxBatch = 256;

    private readonly ConcurrentQueue<PendingWrite> _queue = new();
    // 1 while a thread commits from the queue: the one committer. Taken and given back with full fences, so a write
    // queued while it is taken is seen by the committer's look at the queue after it gives it back.
    private int _committing;
    // Only the committer uses it (under _committing).
    private readonly List<PendingWrite> _batch = new(MaxBatch);
    // Held by the committer while it commits and by disposal while it checkpoints and closes the connection.
    private readonly Lock _connectionGate = new();
    private WriterConnection? _connection;
    private int _held;
    private long _writeTransactions;
    private long _writesCommitted;
    private long _conditionReads;
    private long _callerCommits;

    /// <summary>Write transactions committed by this store (for tests: fewer than writes under load).</summary>
    internal long WriteTransactions => Interlocked.Read(ref _writeTransactions);

    /// <summary>Stored eTags the writer looked up to check a write's conditions (for tests: none for <see cref="StoreWrite.AnyETag"/>).</summary>
    internal long ConditionReads => Interlocked.Read(ref _conditionReads);

    /// <summary>Writes (calls of <see cref="WriteAsync"/>) stored.</summary>
    internal long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    /// <summary>Transactions committed on the thread of a caller whose own write was in them (for tests).</summary>
    internal long CallerCommits => Interlocked.Read(ref _callerCommits);

    /// <summary>For tests: runs on the committing thread as it starts a batch (writes arriving meanwhile must queue for the next).</summary>
    internal Action? Committing { get; set; }

    /// <summary>
    /// For tests: nothing is taken from the queue until the returned action is called, so writes queued meanwhile are
    /// committed together, in one transaction.
    /// </summary>
    internal Action HoldWriter()
    {
        Volatile.Write(ref _held, 1);
        return () =>
        {
            Volatile.Write(ref _held, 0);
            CommitQueuedLater();
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
        var prepared = new PreparedChange[changes.Count];
        var i = 0;
        foreach (var (key, change) in changes)
        {
            MemoryStorage.ValidateKey(key);
            // Checked here, as GetRawText did: an element that holds no value fails its caller alone, not the writer's batch.
            _ = change.Utf8;
            prepared[i++] = new PreparedChange(key, change.ETag, NewETag(), change, change.ExpiresAt?.ToUnixTimeMilliseconds());
        }
        // Counted in like every call: disposal waits until it is answered, and refuses it once begun (nothing queued).
        Enter();
        try
        {
            await _initialized.Value.ConfigureAwait(false);
            var pending = new PendingWrite(prepared, cancellationToken);
            Submit(pending);
            return await pending.Done.Task.ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Queues <paramref name="pending"/> and commits it on this thread unless someone is committing already.</summary>
    private void Submit(PendingWrite pending)
    {
        _queue.Enqueue(pending);
        CommitQueued(pending);
    }

    /// <summary>
    /// Commits what is queued, a batch at a time, while this thread can be the committer: until <paramref name="own"/>
    /// is answered (a caller: writes queued meanwhile are left to the pool, so its turn goes on), or until the queue is
    /// empty (null: the pool's item). Returns at once when someone else commits: that one looks at the queue after.
    /// </summary>
    private void CommitQueued(PendingWrite? own)
    {
        while (Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            try
            {
                CommitBatch(own);
            }
            finally
            {
                Interlocked.Exchange(ref _committing, 0);
            }
            if (_queue.IsEmpty)
            {
                return;
            }
            if (own is not null && own.Done.Task.IsCompleted)
            {
                CommitQueuedLater();
                return;
            }
        }
    }

    private void CommitQueuedLater() => ThreadPool.UnsafeQueueUserWorkItem(static store => store.CommitQueued(null), this, preferLocal: false);

    /// <summary>Commits up to <see cref="MaxBatch"/> queued writes in one transaction and answers each; never throws.</summary>
    private void CommitBatch(PendingWrite? own)
    {
        var batch = _batch;
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var pending))
        {
            batch.Add(pending);
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            Committing?.Invoke();
            lock (_connectionGate)
            {
                _connection ??= WriterConnection.Open(_connectionString, MarkConfigured);
                Interlocked.Add(ref _conditionReads, _connection.Commit(batch, NowMs()));
            }
            Interlocked.Increment(ref _writeTransactions);
            if (own is not null && batch.Contains(own))
            {
                Interlocked.Increment(ref _callerCommits);
            }
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
#pragma warning disable CA1031 // Every caller of the batch must be answered, or it would wait forever; they get the failure.
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
        finally
        {
            batch.Clear();
        }
    }

    private void MarkConfigured() => Interlocked.Increment(ref _connectionsConfigured);
}
