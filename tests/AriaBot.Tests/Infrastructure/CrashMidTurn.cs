using AriaBot.Changes;
using BotRuntime.State;

namespace AriaBot.Tests;

/// <summary>
/// The state store as a dying process sees it: once <see cref="DieAsync"/> is called nothing more reaches the database —
/// every read and write fails — exactly as if the process had been killed at that instant. A second host on the same
/// database file then plays the restarted process.
/// </summary>
/// <remarks>
/// Dying also shuts the store underneath (a SQLite store's writer and connections): a killed process writes nothing
/// more and holds no connection, so the restarted host is alone on the file. A write already queued in the writer is
/// committed or failed before this returns — as if the process had died just after that commit. The container disposes
/// this wrapper with the host, which disposes the store (again, harmlessly) if it never died.
/// </remarks>
internal sealed class DyingStorage(IStorage inner) : IStorage, IAsyncDisposable
{
    private volatile bool _dead;

    public async Task DieAsync()
    {
        _dead = true;
        await DisposeAsync();
    }

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    private void ThrowIfDead()
    {
        if (_dead)
        {
            throw new SimulatedCrashException();
        }
    }

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ThrowIfDead();
        return inner.ReadAsync(keys, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        ThrowIfDead();
        return inner.WriteAsync(changes, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ThrowIfDead();
        return inner.DeleteAsync(keys, cancellationToken);
    }

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ThrowIfDead();
        return inner.ReadPrefixAsync(prefix, limit, cancellationToken);
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDead();
        return inner.PurgeExpiredAsync(cancellationToken);
    }
}

/// <summary>
/// The host's real write intents with a trap: armed, the next completion (Aria has just committed the write) stops
/// until the test releases it, and then the process dies (<see cref="DyingStorage.DieAsync"/>) before the outcome, the
/// conversation state, the reply or the delivery record is saved.
/// </summary>
internal sealed class KillAfterWrite(IWriteLedger inner, DyingStorage storage) : IWriteLedger
{
    private TaskCompletionSource? _reached;
    private TaskCompletionSource? _release;

    /// <summary>Arms the trap; the returned task completes when a turn has written to Aria and stands at the trap.</summary>
    public Task ArmAsync()
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _reached.Task;
    }

    /// <summary>Kills the process at the trap.</summary>
    public void Kill() => _release?.TrySetResult();

    public Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default) => inner.RecordPendingAsync(intent, cancellationToken);

    public Task<bool> RecordPendingAsync(WriteIntent intent, BotRuntime.Builder.ITurnContext turn, CancellationToken cancellationToken = default) =>
        inner.RecordPendingAsync(intent, turn, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> OpenForTurnAsync(BotRuntime.Builder.ITurnContext turn, CancellationToken cancellationToken = default) =>
        inner.OpenForTurnAsync(turn, cancellationToken);

    public async Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default)
    {
        if (_reached is { } reached && _release is { } release)
        {
            _reached = null;
            reached.TrySetResult();
            await release.Task;
            await storage.DieAsync();
            throw new SimulatedCrashException();
        }
        return await inner.TryCompleteAsync(id, status, outcome, customerTold, cancellationToken);
    }

    public Task MarkToldAsync(string id, CancellationToken cancellationToken = default) => inner.MarkToldAsync(id, cancellationToken);

    public Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default) =>
        inner.OpenForConversationAsync(conversationKey, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default) => inner.AllOpenAsync(cancellationToken);
}
