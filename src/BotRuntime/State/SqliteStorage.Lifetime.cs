using Microsoft.Data.Sqlite;

namespace BotRuntime.State;

/// <summary>
/// The store's end. Disposing it (sync or async, once or many times) returns only when nothing of this store can touch
/// the database files again: every write queued before is committed and answered, calls already inside the store have
/// returned, the log is checkpointed, and the writer's, the readers' and the pooled connections are closed. Anything
/// called afterwards fails with <see cref="ObjectDisposedException"/> instead of reopening a connection — a reopened
/// connection closed later (by the pool's pruning, or a finalizer) is what changed the files after a test host was gone.
/// </summary>
public sealed partial class SqliteStorage : IDisposable, IAsyncDisposable
{
    // 1 once disposal began: no new call gets in, the queue takes nothing more.
    private int _closed;
    // Calls inside the store (reads, deletes, purges, checkpoints) that disposal waits for.
    private int _active;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _shutdown;

    /// <summary>True once disposal has begun (for tests).</summary>
    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Counts a call in; throws when the store is being or has been disposed.</summary>
    private void Enter()
    {
        // Increment first, then look: with disposal's "close, then read the count" either it sees this call or this
        // call sees it closed (both sides are full fences).
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _closed) != 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(SqliteStorage));
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _closed) != 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Runs <paramref name="call"/> counted in, so that disposal waits for it and closes its connection after.</summary>
    private async Task<T> InsideAsync<T>(Func<Task<T>> call)
    {
        Enter();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => new(ShutdownAsync());

    private Task ShutdownAsync()
    {
        Task? writer;
        lock (_writerGate)
        {
            if (_shutdown is not null)
            {
                return _shutdown;
            }
            Interlocked.Exchange(ref _closed, 1);
            // Whatever is queued stays queued and is committed; nothing more gets in (WriteAsync then fails).
            _queue.Writer.TryComplete();
            writer = _writer;
            _shutdown = ShutdownCoreAsync(writer);
            return _shutdown;
        }
    }

    private async Task ShutdownCoreAsync(Task? writer)
    {
        try
        {
            if (writer is not null)
            {
                // The loop ends once the queue is empty; it answers every write it takes and never throws.
                await writer.ConfigureAwait(false);
            }
            if (Volatile.Read(ref _active) != 0)
            {
                await _idle.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            CloseEverything();
        }
    }

    private void CloseEverything()
    {
        lock (_connectionGate)
        {
            // Its last frames may be older copies of rows rewritten since (a redacted echo): empty the log first.
            if (_connection is not null)
            {
                _connection.Checkpoint();
            }
            else if (_initialized.IsValueCreated && _initialized.Value.IsCompletedSuccessfully)
            {
                // Deletes and purges write through pooled connections: the log may hold frames though the writer never ran.
                CheckpointOnce(_connectionString);
            }
            _connection?.Dispose();
            _connection = null;
        }
        CloseIdleReaders();
        // Every call has returned its pooled connection by now, so clearing closes them all here and not later (the
        // pool's pruning timer would close them minutes after, and the last close of a file rewrites its log).
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }
}
