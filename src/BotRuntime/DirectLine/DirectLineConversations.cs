using BotRuntime.Hosting;

namespace BotRuntime.DirectLine;

/// <summary>Our Direct Line's conversations, for <see cref="BotMessagesHandler"/>'s refusal of anonymous look-alikes.</summary>
internal sealed class DirectLineConversations(DirectLineStore store) : IIngressConversations
{
    public async Task<bool> OwnsAsync(string conversationId, CancellationToken cancellationToken) =>
        await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// What <see cref="GetConversationAsync"/> reads: the conversation's record, <c>dl/c/{id}</c>, and only for a
    /// well-formed id (<c>DirectLineStore</c>'s key; <c>IngressOwnershipTests</c> pins that the two agree).
    /// </summary>
    public bool TryGetOwnershipKey(string conversationId, out string? key)
    {
        key = DirectLineStore.IsWellFormedConversationId(conversationId) ? "dl/c/" + conversationId : null;
        return true;
    }
}
