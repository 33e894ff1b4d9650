using BotRuntime.Hosting;

namespace BotRuntime.DirectLine;

/// <summary>Our Direct Line's conversations, for <see cref="BotMessagesHandler"/>'s refusal of anonymous look-alikes.</summary>
internal sealed class DirectLineConversations(DirectLineStore store) : IIngressConversations
{
    public async Task<bool> OwnsAsync(string conversationId, CancellationToken cancellationToken) =>
        await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) is not null;
}
