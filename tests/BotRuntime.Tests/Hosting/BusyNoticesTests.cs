using BotRuntime.Connector;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotRuntime.Tests.Hosting;

/// <summary>The "one moment" reply to a message that waited its bound for the conversation's previous turn.</summary>
public sealed class BusyNoticesTests
{
    private sealed class Recorder : IChannelConnector
    {
        public List<Activity> Sent { get; } = [];

        public Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
        {
            Sent.Add(activity);
            return Task.FromResult(new ResourceResponse("r"));
        }

        public Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class Spanish : IBusyConversationText
    {
        public string? For(Activity activity) => activity.Locale == "es-ES" ? "Un momento" : "One moment";
    }

    private static Activity Message(string id, string type = ActivityTypes.Message, string? deliveryMode = null) => new()
    {
        Type = type, Id = id, ChannelId = "test", Conversation = new ConversationAccount { Id = "c1" }, Locale = "es-ES", Text = "hola", DeliveryMode = deliveryMode,
    };

    [Fact]
    public async Task A_waiting_message_is_told_once_in_its_language_however_often_it_is_retried()
    {
        var notices = new BusyNotices([new Spanish()], NullLogger<BusyNotices>.Instance);
        var channel = new Recorder();
        await notices.TellAsync(Message("a1"), channel, default);
        await notices.TellAsync(Message("a1"), channel, default);
        Assert.Equal("Un momento", Assert.Single(channel.Sent).Text);

        await notices.TellAsync(Message("a2"), channel, default);
        Assert.Equal(2, channel.Sent.Count);
    }

    [Fact]
    public async Task Only_messages_with_a_channel_to_answer_on_get_a_notice()
    {
        var notices = new BusyNotices([], NullLogger<BusyNotices>.Instance);
        var channel = new Recorder();
        await notices.TellAsync(Message("e1", type: ActivityTypes.Event), channel, default);
        await notices.TellAsync(Message("x1", deliveryMode: DeliveryModes.ExpectReplies), channel, default);
        await notices.TellAsync(Message("n1"), connector: null, default);
        Assert.Empty(channel.Sent);

        await notices.TellAsync(Message("m1"), channel, default);
        Assert.Equal(BusyNotices.DefaultText, Assert.Single(channel.Sent).Text);
    }
}
