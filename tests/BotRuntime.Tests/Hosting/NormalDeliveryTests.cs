using System.Net;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotRuntime.Tests.Hosting;

public sealed class NormalDeliveryTests
{
    [Fact]
    public async Task Anonymous_replies_are_posted_to_a_loopback_service_url_as_bot_connector_replies()
    {
        await using var channel = await StandInChannel.StartAsync();
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message("hello", id: "act:1;x", conversation: "19:abc@thread.tacv2;messageid=1", deliveryMode: DeliveryModes.Normal, serviceUrl: channel.ServiceUrl.ToString());

        var response = await host.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync()).Length);

        var sent = Assert.Single(channel.Requests);
        Assert.Equal("POST", sent.Method);
        // Ids with ':' ';' '@' are escaped in the path as Teams requires.
        Assert.Equal("/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities/act%3A1%3Bx", sent.Path);
        Assert.Null(sent.Authorization);
        Assert.Equal("echo: hello #1", sent.Activity!.Text);
        Assert.Equal("act:1;x", sent.Activity.ReplyToId);
    }

    [Fact]
    public async Task Anonymous_requests_may_not_steer_replies_to_another_host()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostAsync(BotTestHost.Message("hello", deliveryMode: DeliveryModes.Normal, serviceUrl: "https://attacker.example.net/"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task An_allow_listed_origin_is_accepted_for_anonymous_replies()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), settings: new() { ["Bot:AnonymousServiceUrls:0"] = "https://channel.example.com" });
        var factory = host.App.Services.GetRequiredService<BotRuntime.Connector.BotConnectorFactory>();
        Assert.True(factory.IsAllowedForAnonymous(new Uri("https://channel.example.com/v3/")));
        Assert.False(factory.IsAllowedForAnonymous(new Uri("https://channel.example.com.evil.net/")));
        Assert.False(factory.IsAllowedForAnonymous(new Uri("http://channel.example.com/")));
        Assert.True(factory.IsAllowedForAnonymous(new Uri("http://[::1]:5000/")));
        Assert.True(factory.IsAllowedForAnonymous(new Uri("http://localhost:5000/")));
    }

    [Fact]
    public async Task A_normal_delivery_without_a_service_url_is_refused()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostAsync(BotTestHost.Message("hello", deliveryMode: DeliveryModes.Normal, serviceUrl: null))).StatusCode);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task Every_log_line_of_a_turn_carries_the_conversation_and_activity_ids()
    {
        RecordingBot? bot = null;
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), configure: builder =>
        {
            builder.Logging.AddFakeLogging();
            builder.Services.AddSingleton<BotRuntime.Builder.IBot>(sp => bot = new RecordingBot(sp.GetRequiredService<ILogger<RecordingBot>>()));
        });
        await host.PostAsync(BotTestHost.Message("hello", id: "act-77", conversation: "conv-42"));
        Assert.NotNull(bot);
        var collector = host.App.Services.GetRequiredService<FakeLogCollector>();
        var line = Assert.Single(collector.GetSnapshot(), record => record.Message.StartsWith("Bot saw", StringComparison.Ordinal));
        var scope = line.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(pairs => pairs).ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Equal("conv-42", scope["ConversationId"]);
        Assert.Equal("act-77", scope["ActivityId"]);
    }
}
