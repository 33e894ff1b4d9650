using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Orders;

/// <summary>
/// The set-up the place-an-order test classes share: a host of their own per test and Alice's web chat, signed in
/// directly (convo1/user1), so each test starts at the main menu of a signed-in conversation.
/// </summary>
public abstract class SignedInOrderTests : IAsyncLifetime
{
    private protected AssistantTestHost Host { get; } = new();

    private protected AssistantConversation Chat { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chat = Host.Conversation();
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
