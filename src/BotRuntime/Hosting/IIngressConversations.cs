namespace BotRuntime.Hosting;

/// <summary>
/// The conversations an authenticated ingress of this runtime owns (e.g. our own Direct Line's). An unauthenticated
/// <c>/api/messages</c> activity naming one of them is refused before it runs: its state (dialog stack, open
/// previews, delivery records, the conversation lock) is keyed by channel and conversation, so such a caller could
/// otherwise drive another person's conversation, e.g. answer "yes" to their preview.
/// </summary>
/// <remarks>Every ingress that mints its own conversation ids registers one (<c>AddDirectLine</c> does).</remarks>
public interface IIngressConversations
{
    /// <summary>True when <paramref name="conversationId"/> is one of this ingress's conversations.</summary>
    Task<bool> OwnsAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// True when <see cref="OwnsAsync"/> is nothing but "is this key in the runtime's <c>IStorage</c>": then
    /// <paramref name="key"/> is that key (null: the id cannot be one of this ingress's, owned by none), and
    /// <c>/api/messages</c> has the turn's start check every ingress's key (<see cref="State.TurnStart.RefuseIfAny"/>:
    /// on PostgreSQL in the same round trip as the lease, issue 22) instead of a read each. False (the default):
    /// <see cref="OwnsAsync"/> is asked.
    /// </summary>
    bool TryGetOwnershipKey(string conversationId, out string? key)
    {
        key = null;
        return false;
    }
}
