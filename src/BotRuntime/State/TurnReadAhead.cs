namespace BotRuntime.State;

/// <summary>
/// Items a store read for a turn together with its lease (<see cref="IConversationLeases.TryStartTurnAsync"/>), served to
/// the turn's first read of them instead of another round trip (issue 22). Flows with the turn's asynchronous calls
/// like <see cref="TurnFence"/>.
/// </summary>
/// <remarks>
/// Serving the read-ahead copy is the same as having read the store at the moment the lease was taken, which the turn
/// could have done: writes stay eTag-checked, so a change made since (by an unfenced writer) is a conflict at save,
/// never a lost update. Each item is served once, only by the store that read it, and forgotten as soon as the turn
/// writes or deletes its key, so the turn always reads its own writes.
/// </remarks>
public sealed class TurnReadAhead
{
    private static readonly AsyncLocal<TurnReadAhead?> Ambient = new();
    private readonly object _source;
    private readonly Lock _gate = new();
    // A null value: read and found absent (or expired), which is as much an answer as an item.
    private readonly Dictionary<string, StoreItem?> _items;

    /// <param name="source">The store that read the items; only its own reads are served from them.</param>
    /// <param name="items">Every key read, with its item or null when absent.</param>
    public TurnReadAhead(object source, IReadOnlyDictionary<string, StoreItem?> items)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(items);
        _source = source;
        _items = new(items, StringComparer.Ordinal);
    }

    private TurnReadAhead(object source, Dictionary<string, StoreItem?> items)
    {
        _source = source;
        _items = items;
    }

    /// <summary>
    /// A read-ahead holding <paramref name="items"/> itself, not a copy (issue 22: a store building the dictionary for it
    /// alone saves one per turn); an ordinal dictionary nobody else keeps.
    /// </summary>
    internal static TurnReadAhead Adopt(object source, Dictionary<string, StoreItem?> items)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(items);
        return ReferenceEquals(items.Comparer, StringComparer.Ordinal) ? new TurnReadAhead(source, items) : new TurnReadAhead(source, (IReadOnlyDictionary<string, StoreItem?>)items);
    }

    /// <summary>The read-ahead of the turn running on this asynchronous flow, if any.</summary>
    public static TurnReadAhead? Current => Ambient.Value;

    /// <summary>Makes <paramref name="readAhead"/> the current one for this asynchronous flow (and what it calls from now on).</summary>
    public static void Enter(TurnReadAhead? readAhead) => Ambient.Value = readAhead;

    /// <summary>How many keys are still waiting to be served (tests).</summary>
    public int Unserved
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>
    /// The answer to <paramref name="source"/> reading <paramref name="keys"/> when every one of them was read ahead (and
    /// then forgets them); null otherwise, and the store reads as usual.
    /// </summary>
    public Dictionary<string, StoreItem>? TryServe(object source, IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!ReferenceEquals(source, _source) || keys.Count == 0)
        {
            return null;
        }
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (!_items.ContainsKey(key))
                {
                    return null;
                }
            }
            var result = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (_items.Remove(key, out var item) && item is not null)
                {
                    result[key] = item;
                }
            }
            return result;
        }
    }

    /// <summary>
    /// <see cref="TryServe"/> for a read of one key, without a dictionary: true when <paramref name="key"/> was read ahead
    /// (then forgotten), with <paramref name="item"/> null when it was absent.
    /// </summary>
    public bool TryServeOne(object source, string key, out StoreItem? item)
    {
        ArgumentNullException.ThrowIfNull(key);
        item = null;
        if (!ReferenceEquals(source, _source))
        {
            return false;
        }
        lock (_gate)
        {
            return _items.Remove(key, out item);
        }
    }

    /// <summary>
    /// Drops everything not served yet: the turn is over, and work it left behind must read the store, which another
    /// instance's next turn may already have changed.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }

    /// <summary>Drops what was read ahead for <paramref name="keys"/>: the turn wrote or deleted them, so the copy is stale.</summary>
    public void Forget(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _items.Remove(key);
            }
        }
    }
}

/// <summary>
/// A store without shared leases (SQLite) that still reads a turn's first keys in one statement once the conversation is
/// held in this process (issue 22): what PostgreSQL reads with the lease, served the same way (<see cref="TurnReadAhead"/>).
/// </summary>
public interface ITurnReadAheadStore
{
    /// <summary>
    /// Reads <paramref name="readAhead"/> and <paramref name="refuseIfAny"/> in one read. Null when there is nothing to
    /// read ahead; the caller makes the answer <see cref="TurnReadAhead.Current"/> and clears it when the turn ends.
    /// </summary>
    /// <exception cref="TurnRefusedException">One of <paramref name="refuseIfAny"/> is present (and not expired).</exception>
    Task<TurnReadAhead?> ReadTurnStartAsync(IReadOnlyCollection<string> readAhead, IReadOnlyCollection<string> refuseIfAny, CancellationToken cancellationToken);
}
