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

    /// <summary>
    /// Takes the conversation like <see cref="TryAcquireAsync(string, string, TimeSpan, CancellationToken)"/> and, once
    /// taken, writes <paramref name="start"/>'s claim under the new token and reads its keys — in one round trip where
    /// the store can (PostgreSQL; issue 22). Null when held. The default takes the lease only: the caller then writes
    /// and reads as usual (<see cref="LeaseStart.Claimed"/> and <see cref="LeaseStart.ReadAhead"/> are null).
    /// </summary>
    /// <exception cref="TurnRefusedException">One of <see cref="TurnStart.RefuseIfAny"/> is present: nothing was taken or written.</exception>
    async Task<LeaseStart?> TryStartTurnAsync(string conversationKey, string holder, TimeSpan duration, TurnStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.RefuseIfAny.Count > 0)
        {
            // Fail closed: a store that cannot check the refusal keys must not let the turn run unchecked.
            throw new NotSupportedException("This lease store does not check TurnStart.RefuseIfAny.");
        }
        return await TryAcquireAsync(conversationKey, holder, duration, cancellationToken).ConfigureAwait(false) is { } token
            ? new LeaseStart(token, null, null)
            : null;
    }

    /// <summary>Extends a lease still held under <paramref name="token"/>; false when it expired or another turn took it.</summary>
    Task<bool> RenewAsync(string conversationKey, long token, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the conversation up at once (only if still held under <paramref name="token"/>).</summary>
    Task ReleaseAsync(string conversationKey, long token, CancellationToken cancellationToken);
}

/// <summary>What a turn writes and reads as soon as it holds its conversation's lease.</summary>
/// <param name="Claim">
/// The turn's delivery claim: written all or nothing under the new lease's token, with the usual eTag conditions; empty
/// when the activity has no id.
/// </param>
/// <param name="ReadAhead">Keys the turn will most likely read (its conversation state), read right after the claim.</param>
public sealed record TurnStart(IReadOnlyDictionary<string, StoreWrite> Claim, IReadOnlyCollection<string> ReadAhead)
{
    /// <summary>
    /// Keys any one of which, present (and not expired), refuses the turn before anything is taken or written:
    /// <see cref="IConversationLeases.TryStartTurnAsync"/> then throws <see cref="TurnRefusedException"/>. The anonymous
    /// <c>/api/messages</c> ingress names the markers of conversations an authenticated ingress owns (issue 22: that
    /// check was a round trip of its own).
    /// </summary>
    public IReadOnlyCollection<string> RefuseIfAny { get; init; } = [];
}

/// <summary>A turn was refused at its start because one of <see cref="TurnStart.RefuseIfAny"/> is present; nothing was taken or written.</summary>
public sealed class TurnRefusedException : Exception
{
    public TurnRefusedException() : base("The turn was refused: a key it must not find is present.") { }
    public TurnRefusedException(string message) : base(message) { }
    public TurnRefusedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A lease taken by <see cref="IConversationLeases.TryStartTurnAsync"/>.</summary>
/// <param name="Token">The lease's fencing token.</param>
/// <param name="Claimed">
/// True when the claim was written; false when one of its eTag conditions failed (nothing of it was written, the lease
/// is still taken); null when it was not attempted (no claim, or a store that does not fold it in).
/// </param>
/// <param name="ReadAhead">What was read for the turn, served once to its first read of those keys; null when nothing was.</param>
public sealed record LeaseStart(long Token, bool? Claimed, TurnReadAhead? ReadAhead);
