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
    private volatile bool _ended;

    public TurnFence(string conversationKey, long token)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ConversationKey = conversationKey;
        Token = token;
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
}

/// <summary>A turn's write was refused because its conversation lease expired and another turn holds it now; nothing was written.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException() : base("This turn's conversation lease was lost; another turn holds the conversation now.") { }
    public LeaseLostException(string message) : base(message) { }
    public LeaseLostException(string message, Exception innerException) : base(message, innerException) { }
}
