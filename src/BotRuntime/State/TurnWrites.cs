namespace BotRuntime.State;

/// <summary>
/// The storage writes a turn ends with, gathered so that they commit as <em>one</em> storage write (one transaction
/// on SQLite and PostgreSQL) instead of one each (issue 22): the state saved at the end of the turn, the transcript
/// lines written along the way, and the turn's delivery record (<see cref="Closing"/>). The runtime opens one per turn
/// (<see cref="Enter"/>, flowing with the turn's asynchronous calls like <see cref="TurnFence"/>);
/// <see cref="AutoSaveStateMiddleware"/> commits it where it used to save the state, still inside the turn, so a
/// conflicting save throws exactly where it did and the turn's error handling is unchanged.
/// </summary>
/// <remarks>
/// Only writes whose loss in a crash costs nothing are deferred here: the redelivery claim is written before the turn
/// runs, and writes that must be durable before Aria is called (the write ledger) go straight to the store. A crash
/// before the commit loses the turn's state and lines together with its done record, so the redelivery finds the
/// claim of a dead process and tells the customer instead of running the turn again (invariant 5).
/// </remarks>
public sealed class TurnWrites
{
    private static readonly AsyncLocal<TurnWrites?> Ambient = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoreWrite> _deferred = new(StringComparer.Ordinal);
    private bool _sealed;

    /// <summary>The turn running on this asynchronous flow, if the host gathers its writes.</summary>
    public static TurnWrites? Current => Ambient.Value;

    /// <summary>Makes <paramref name="writes"/> the current one for this asynchronous flow (and what it calls from now on).</summary>
    public static void Enter(TurnWrites? writes) => Ambient.Value = writes;

    /// <summary>The keys that close the turn (its delivery record), computed when the commit is made; null adds none.</summary>
    public Func<IReadOnlyDictionary<string, StoreWrite>>? Closing { get; set; }

    /// <summary>True once the commit succeeded: the closing keys are stored.</summary>
    public bool Committed { get; private set; }

    /// <summary>
    /// Adds a best-effort, create-only write (a transcript line) to the turn's commit. False once the commit was made
    /// or attempted: the caller then writes it itself, as it would without a gathering host.
    /// </summary>
    public bool TryDefer(string key, StoreWrite write)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            if (_sealed)
            {
                return false;
            }
            _deferred[key] = write;
            return true;
        }
    }

    /// <summary>The lines deferred so far whose keys start with <paramref name="prefix"/> (read-your-writes within the turn).</summary>
    public IReadOnlyList<KeyValuePair<string, StoreWrite>> Deferred(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            return [.. _deferred.Where(item => item.Key.StartsWith(prefix, StringComparison.Ordinal))];
        }
    }

    /// <summary>
    /// Writes <paramref name="state"/>, the deferred lines and the closing keys in one storage write and returns the
    /// new eTags. A conflict on a state key throws <see cref="StorageConflictException"/> and stores none of them; a
    /// deferred line that conflicts (best effort, never expected) is dropped and the rest written.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> CommitAsync(IStorage storage, IReadOnlyDictionary<string, StoreWrite> state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<string, StoreWrite> deferred;
        lock (_gate)
        {
            _sealed = true;
            deferred = new(_deferred, StringComparer.Ordinal);
        }
        if (Closing is not null && TurnFence.Current is { IsActive: true } fence)
        {
            // The done record ends the turn: its lease may go with it (one round trip less). An async method, so this
            // flows only into the writes below and ends when the commit returns.
            TurnFence.EnterReleasing(fence);
        }
        var all = new Dictionary<string, StoreWrite>(deferred, StringComparer.Ordinal);
        foreach (var (key, write) in state)
        {
            all[key] = write;
        }
        if (Closing?.Invoke() is { } closing)
        {
            foreach (var (key, write) in closing)
            {
                all[key] = write;
            }
        }
        while (true)
        {
            try
            {
                var written = all.Count == 0 ? new Dictionary<string, string>() : await storage.WriteAsync(all, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _deferred.Clear();
                    Committed = true;
                }
                return written;
            }
            catch (StorageConflictException conflict) when (conflict.Key is { } key && deferred.Remove(key))
            {
                all.Remove(key);
                lock (_gate)
                {
                    _deferred.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// What the turn deferred but did not commit (it failed before its end, or its state conflicted), for the host to
    /// write on its own; seals the turn so that later lines are written directly.
    /// </summary>
    public IReadOnlyDictionary<string, StoreWrite> TakeLeftovers()
    {
        lock (_gate)
        {
            _sealed = true;
            var left = new Dictionary<string, StoreWrite>(_deferred, StringComparer.Ordinal);
            _deferred.Clear();
            return left;
        }
    }
}
