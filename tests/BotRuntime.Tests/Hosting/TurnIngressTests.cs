using System.Net;
using System.Security.Claims;
using System.Text;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.Tests.Authentication;
using BotRuntime.Tests.DirectLine;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// Each ingress tells the bot which door a turn came through, in a way no caller can forge (issue 24, finding 2):
/// a stamp on the turn's identity, set by the runtime, never read from the activity.
/// </summary>
public sealed class TurnIngressTests
{
    [Fact]
    public async Task Direct_Line_turns_are_stamped_DirectLine_and_its_session_binding_requests_say_so()
    {
        var sink = new RecordingBindingSink();
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(sink));
        var (conversationId, token, _) = await host.StartConversationAsync(new { user = new { id = "dl_portal-1" }, binding = new { sessionId = "s" } });
        await host.PostAsync(conversationId, token, "hi");
        await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text?.StartsWith("echo", StringComparison.Ordinal) == true));

        Assert.All(bot.Identities, identity => Assert.Equal(TurnIngress.DirectLine, TurnIngresses.Of(identity)));
        Assert.Equal(TurnIngress.DirectLine, Assert.Single(sink.Requests).Ingress);

        var registered = await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret,
            new { userId = "dl_azure-1", channelId = "webchat", binding = new { sessionId = "s" } });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        Assert.Equal(TurnIngress.BotConnector, sink.Requests.Last().Ingress);
    }

    [Fact]
    public async Task An_anonymous_api_messages_activity_naming_a_Direct_Line_conversation_is_refused_whatever_its_channel()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        await host.PostAsync(conversationId, token, "hi");
        await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text?.StartsWith("echo", StringComparison.Ordinal) == true));
        var turns = bot.Received.Count;
        var user = DirectLineTestHost.JwtPayload(token).GetProperty("user").GetString()!;

        foreach (var channel in new[] { Channels.DirectLine, Channels.Webchat, Channels.Test })
        {
            var refused = await PostAnonymousAsync(host, channel, conversationId, user);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.Equal(turns, bot.Received.Count);

        // Its own conversations it may run, and they are stamped for what they are.
        var own = await PostAnonymousAsync(host, Channels.DirectLine, "curl-1", user);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(TurnIngress.Anonymous, TurnIngresses.Of(bot.Identities.Last()));
    }

    [Fact]
    public async Task A_Bot_Connector_turn_is_stamped_BotConnector_even_when_its_token_claims_otherwise()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var forged = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow(), descriptor => descriptor.Claims[TurnIngresses.ClaimType] = nameof(TurnIngress.DirectLine));
        var response = await bed.PostAsync(bed.Message("hello", id: "m1"), "Bearer " + forged);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = Assert.Single(bed.Bot.Identities);
        Assert.Equal(TurnIngress.BotConnector, TurnIngresses.Of(identity));
        Assert.Single(identity!.FindAll(TurnIngresses.ClaimType));
    }

    [Fact]
    public void Only_one_well_formed_stamp_counts_anything_else_is_Unknown()
    {
        Assert.Equal(TurnIngress.Unknown, TurnIngresses.Of((ClaimsIdentity?)null));
        Assert.Equal(TurnIngress.Unknown, TurnIngresses.Of(new ClaimsIdentity()));
        Assert.Equal(TurnIngress.Unknown, TurnIngresses.Of(new ClaimsIdentity([new Claim(TurnIngresses.ClaimType, "directline")])));
        Assert.Equal(TurnIngress.Unknown, TurnIngresses.Of(new ClaimsIdentity([new Claim(TurnIngresses.ClaimType, "1")])));
        Assert.Equal(TurnIngress.Unknown, TurnIngresses.Of(new ClaimsIdentity([new Claim(TurnIngresses.ClaimType, "DirectLine"), new Claim(TurnIngresses.ClaimType, "Anonymous")])));
        Assert.Equal(TurnIngress.Anonymous, TurnIngresses.Of(TurnIngresses.Stamp(new ClaimsIdentity([new Claim(TurnIngresses.ClaimType, "DirectLine")]), TurnIngress.Anonymous)));
    }

    [Fact]
    public void Anonymous_delivery_records_never_share_a_key_with_another_ingresss()
    {
        var activity = new Activity { Id = "conv-1|0000000003", ChannelId = Channels.DirectLine, Conversation = new ConversationAccount { Id = "conv-1" } };
        var directLine = TurnProcessor.DeliveryKey(activity, TurnIngresses.Unauthenticated(TurnIngress.DirectLine));
        var anonymous = TurnProcessor.DeliveryKey(activity, TurnIngresses.Unauthenticated(TurnIngress.Anonymous));
        // The authenticated ingresses keep the key records had before the upgrade.
        Assert.Equal("deliveries/directline/conv-1/conv-1|0000000003", directLine);
        Assert.NotEqual(directLine, anonymous);
        Assert.StartsWith("deliveries/anonymous/", anonymous, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAnonymousAsync(DirectLineTestHost host, string channelId, string conversationId, string userId)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = channelId,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = userId },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = "yes",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        return host.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(BotJson.Serialize(activity), Encoding.UTF8, "application/json"));
    }
}
