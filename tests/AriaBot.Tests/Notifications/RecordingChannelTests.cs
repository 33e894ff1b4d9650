using BotRuntime.Schema;
using BotRuntime.Testing;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// Set-up shared by the tests of notices pushed to a channel (Teams, Slack): a <see cref="RecordingBotConnector"/>
/// started before each test and stopped after it, the opt-in sentence and the notice the sandbox's expiring-card event
/// becomes, and chats whose replies go to the stand-in.
/// </summary>
public abstract class RecordingChannelTests : IAsyncLifetime
{
    protected const string OptIn = "notify me about my account here";
    protected const string Expiring = "The card on your account is about to expire.";

    /// <summary>The stand-in Bot Connector: what the bot sent proactively, and how it answers.</summary>
    internal RecordingBotConnector Channel { get; private set; } = null!;

    public async Task InitializeAsync() => Channel = await RecordingBotConnector.StartAsync();

    public async Task DisposeAsync() => await Channel.DisposeAsync();

    /// <summary>A chat on <paramref name="channelId"/> whose replies go to the stand-in (personal, on Teams).</summary>
    internal AssistantConversation ChannelChat(AssistantTestHost host, string channelId, string conversationId, string userId, string locale = "en-US") =>
        new(host, new TestAdapterOptions
        {
            ChannelId = channelId,
            ServiceUrl = Channel.ServiceUrl,
            UserId = userId,
            ConversationId = conversationId,
            ConversationType = channelId == Channels.Msteams ? "personal" : null,
            Locale = locale,
            TimeProvider = host.Time,
        });
}
