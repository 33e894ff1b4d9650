using System.Net;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using BotRuntime.Tests.Authentication;
using BotRuntime.Tests.DirectLine;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Connector;

/// <summary>
/// <see cref="ConversationConnectors.ForConversationAsync"/>: the one choice of how a stored conversation is reached
/// outside a turn. The ingress decides (never the channel id alone), and a Bot Connector conversation is reached only at
/// a serviceUrl authenticated for it.
/// </summary>
public sealed class ConversationConnectorsTests
{
    [Fact]
    public async Task A_Direct_Line_conversation_gets_the_message_in_its_own_log()
    {
        await using var host = await DirectLineTestHost.StartAsync(new RecordingBot());
        var (conversationId, token, _) = await host.StartConversationAsync();
        var connectors = host.App.Services.GetRequiredService<ConversationConnectors>();
        var reference = DirectLineReference(conversationId);

        var choice = await connectors.ForConversationAsync(TurnIngress.DirectLine, conversationId, reference);

        Assert.Null(choice.Refusal);
        var connector = Assert.IsType<DirectLineConnector>(choice.Connector);
        await connector.SendActivityAsync(MessageFactory.Text("your card was added").ApplyConversationReference(reference), CancellationToken.None);
        var (activities, _) = await host.GetAsync(conversationId, token);
        var told = Assert.Single(activities, a => a.Text == "your card was added");
        Assert.Equal(RoleTypes.Bot, told.From?.Role);
        Assert.Equal("bot", told.From?.Id);
    }

    [Fact]
    public async Task A_directline_channel_id_that_came_through_the_Bot_Connector_is_not_written_into_our_log()
    {
        // Azure's Direct Line also says "directline": only our own ingress may append to our log.
        await using var host = await DirectLineTestHost.StartAsync(new RecordingBot());
        var (conversationId, token, _) = await host.StartConversationAsync();
        var connectors = host.App.Services.GetRequiredService<ConversationConnectors>();

        var choice = await connectors.ForConversationAsync(TurnIngress.BotConnector, conversationId, DirectLineReference(conversationId));

        Assert.Null(choice.Connector);
        Assert.Contains("serviceUrl", choice.Refusal, StringComparison.Ordinal);
        var (activities, _) = await host.GetAsync(conversationId, token);
        Assert.DoesNotContain(activities, a => a.From?.Role == RoleTypes.Bot);
    }

    [Fact]
    public async Task A_Bot_Connector_conversation_is_reached_at_its_authenticated_serviceUrl_with_the_token()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var connectors = bed.Host.App.Services.GetRequiredService<ConversationConnectors>();
        var reference = bed.Message(id: "m1").GetConversationReference();
        var before = bed.Channel.Requests.Count;

        var choice = await connectors.ForConversationAsync(TurnIngress.BotConnector, "c1", reference);

        var connector = Assert.IsType<BotConnectorConnector>(choice.Connector);
        var message = MessageFactory.Text("the agent joined");
        message.ApplyConversationReference(reference);
        await connector.SendActivityAsync(message, CancellationToken.None);
        var sent = Assert.Single(bed.Channel.Requests.Skip(before));
        Assert.Equal("/v3/conversations/c1/activities/m1", sent.Path);
        Assert.Equal("Bearer cc-token-1", sent.Authorization);
        Assert.Equal("the agent joined", sent.Activity?.Text);
    }

    [Fact]
    public async Task A_serviceUrl_never_authenticated_for_the_conversation_is_refused_and_nothing_reaches_it()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        await using var attacker = await StandInChannel.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var connectors = bed.Host.App.Services.GetRequiredService<ConversationConnectors>();

        // The conversation is known, but a stored reference now names another serviceUrl (a forged or stale record).
        var forged = bed.Message(serviceUrl: attacker.ServiceUrl.AbsoluteUri).GetConversationReference();
        var choice = await connectors.ForConversationAsync(TurnIngress.BotConnector, "c1", forged);
        var anonymous = await connectors.ForConversationAsync(TurnIngress.Anonymous, "c1", forged);

        Assert.Null(choice.Connector);
        Assert.Contains("not authenticated for this conversation", choice.Refusal, StringComparison.Ordinal);
        Assert.Null(anonymous.Connector);
        Assert.Empty(attacker.Requests);
    }

    [Theory]
    [InlineData(TurnIngress.DirectLine, "Direct Line")]
    [InlineData(TurnIngress.SlackEvents, "Slack")]
    public async Task An_ingress_this_host_does_not_serve_is_refused_not_thrown(TurnIngress ingress, string named)
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var connectors = bed.Host.App.Services.GetRequiredService<ConversationConnectors>();

        var choice = await connectors.ForConversationAsync(ingress, "T1:D1", bed.Message().GetConversationReference());

        Assert.Null(choice.Connector);
        Assert.Contains(named, choice.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrySendAsync_says_why_a_message_was_not_delivered_and_throws_nothing_for_it()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => s["Bot:ConnectorMaxRetries"] = "0");
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var connectors = bed.Host.App.Services.GetRequiredService<ConversationConnectors>();
        var reference = bed.Message(id: "m1").GetConversationReference();
        Activity Message(string text) => MessageFactory.Text(text).ApplyConversationReference(reference);

        Assert.Null(await connectors.TrySendAsync(TurnIngress.BotConnector, "c1", reference, Message("sent")));
        bed.Channel.FailFirst.Enqueue(403);
        var refusedByChannel = await connectors.TrySendAsync(TurnIngress.BotConnector, "c1", reference, Message("not allowed"));
        var untrusted = await connectors.TrySendAsync(TurnIngress.BotConnector, "c1", bed.Message(serviceUrl: "https://elsewhere.example/").GetConversationReference(), Message("never"));

        Assert.Equal(nameof(Refit.ApiException), refusedByChannel);
        Assert.Contains("not authenticated for this conversation", untrusted, StringComparison.Ordinal);
        Assert.Equal(["sent", "not allowed"], bed.Channel.Requests.Skip(1).Select(r => r.Activity?.Text));
    }

    [Fact]
    public void Delivery_failures_are_told_apart_from_bugs()
    {
        Assert.True(ConversationConnectors.IsDeliveryFailure(new HttpRequestException("down")));
        Assert.True(ConversationConnectors.IsDeliveryFailure(new TaskCanceledException()));
        Assert.True(ConversationConnectors.IsDeliveryFailure(new BotRuntime.Slack.SlackApiException("chat.postMessage", "channel_not_found")));
        Assert.False(ConversationConnectors.IsDeliveryFailure(new ArgumentException("a bug, not the channel")));
        Assert.False(ConversationConnectors.IsDeliveryFailure(new NullReferenceException()));
    }

    private static ConversationReference DirectLineReference(string conversationId) => new()
    {
        ChannelId = Channels.DirectLine,
        Conversation = new ConversationAccount { Id = conversationId },
        User = new ChannelAccount { Id = "dl_user" },
        Bot = new ChannelAccount { Id = "bot", Name = "Bot" },
    };
}
