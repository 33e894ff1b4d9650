namespace BotRuntime.State;

/// <summary>
/// Per-conversation turn leases shared by every instance over one store (PostgreSQL). A lease row has an expiry and
/// a fencing token; <see cref="TurnFence"/> carries the token into the turn's writes, which the store checks in the
/// same statement. Stores one process owns (memory, SQLite) have none: <c>ConversationLocks</c> is enough there.
/// </summary>
public interface IConversationLeases
{
    /// <summary>Takes the conversation if nobody holds it (or the holder's lease expired); its fencing token, or null when held.</summary>
    Task<long?> TryAcquireAsync(string conversationKey, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends a lease still held under <paramref name="token"/>; false when it expired or another turn took it.</summary>
    Task<bool> RenewAsync(string conversationKey, long token, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the conversation up at once (only if still held under <paramref name="token"/>).</summary>
    Task ReleaseAsync(string conversationKey, long token, CancellationToken cancellationToken);
}
