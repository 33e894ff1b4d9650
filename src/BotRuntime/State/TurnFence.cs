namespace BotRuntime.State;

/// <summary>
/// The fencing token of the conversation lease a turn holds (PostgreSQL scale-out). It flows with the turn's
/// asynchronous calls, and a store that shares leases across processes (<see cref="PostgresStorage"/>) checks it in
/// the same statement as every write the turn makes: once another instance has taken the conversation over (the lease
/// expired while this turn stalled), the stale turn's writes fail with <see cref="LeaseLostException"/> instead of
/// overwriting the newer turn's state. Stores without leases (memory, SQLite) ignore it: one process owns them and
/// <c>ConversationLocks</c> already serialises its turns.
/// </summary>
public sealed class TurnFence
{
    private static readonly AsyncLocal<TurnFence?> Ambient = new();
    private static readonly AsyncLocal<TurnFence?> ReleasingAmbient = new();
    private readonly Func<TurnFence, CancellationToken, Task<bool>>? _confirm;
    private volatile bool _ended;

    /// <param name="conversationKey">The conversation the lease is for.</param>
    /// <param name="token">The lease's fencing token.</param>
    /// <param name="confirm">
    /// Asks the lease store, in one round trip, whether the lease is still held under <paramref name="token"/> (and
    /// extends it); <see cref="ConfirmHeldAsync"/> calls it before a call that no state write can fence (Aria's write).
    /// </param>
    public TurnFence(string conversationKey, long token, Func<TurnFence, CancellationToken, Task<bool>>? confirm = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ConversationKey = conversationKey;
        Token = token;
        _confirm = confirm;
    }

    /// <summary>The conversation the lease is for (the turn's <c>ConversationKey</c>).</summary>
    public string ConversationKey { get; }

    /// <summary>Strictly greater than every token handed out before for any conversation: a stale holder's never matches.</summary>
    public long Token { get; }

    /// <summary>
    /// False once the turn has ended normally. Work the turn started that outlives it (a background send) then writes
    /// unfenced, as it would have without leases; only a turn still running under a lost lease is refused.
    /// </summary>
    public bool IsActive => !_ended;

    /// <summary>The fence of the turn running on this asynchronous flow, if any.</summary>
    public static TurnFence? Current => Ambient.Value;

    /// <summary>Makes <paramref name="fence"/> the current one for this asynchronous flow (and what it calls from now on).</summary>
    public static void Enter(TurnFence? fence) => Ambient.Value = fence;

    /// <summary>The turn is over: later writes under this fence are not checked.</summary>
    public void End() => _ended = true;

    /// <summary>
    /// True once a write gave the lease back with it (<see cref="ReleasingWith"/>): the fence has ended, and there is no
    /// lease left to release.
    /// </summary>
    public bool Released { get; private set; }

    /// <summary>
    /// The fence whose lease the write being made on this asynchronous flow may give back when it succeeds: set by
    /// <see cref="TurnWrites"/> for the turn's closing write (its state and done record), which is the turn's last
    /// fenced write, so the lease ends in the same round trip instead of one more (issue 22). A store with leases
    /// releases it in the same statement as the fenced write and then calls <see cref="MarkReleased"/>.
    /// </summary>
    public static TurnFence? ReleasingWith => ReleasingAmbient.Value;

    /// <summary>Lets the writes made from here on this asynchronous flow give <paramref name="fence"/>'s lease back (null: none).</summary>
    public static void EnterReleasing(TurnFence? fence) => ReleasingAmbient.Value = fence;

    /// <summary>The lease was given back with a write: the turn is over for the fence, and nothing is left to release.</summary>
    public void MarkReleased()
    {
        Released = true;
        _ended = true;
    }

    /// <summary>
    /// True when the current turn may still act for its conversation: it runs under no shared lease (memory, SQLite:
    /// one process), its fence has ended (work left behind by a finished turn), or the lease store confirms the lease
    /// is still held under its token — and extends it, so the call that follows has a whole lease period before anyone
    /// can take the conversation over. A state write checks the fence by itself; a call to another system (Aria's write)
    /// cannot, so it asks here first: a turn that stalled past its lease and was taken over must not send it, since the
    /// new holder may already have settled the pending write by reading the account.
    /// </summary>
    public static async Task<bool> ConfirmHeldAsync(CancellationToken cancellationToken)
    {
        if (Current is not { IsActive: true, _confirm: { } confirm } fence)
        {
            return true;
        }
        return await confirm(fence, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A turn's write was refused because its conversation lease expired and another turn holds it now; nothing was written.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException() : base("This turn's conversation lease was lost; another turn holds the conversation now.") { }
    public LeaseLostException(string message) : base(message) { }
    public LeaseLostException(string message, Exception innerException) : base(message, innerException) { }
}
