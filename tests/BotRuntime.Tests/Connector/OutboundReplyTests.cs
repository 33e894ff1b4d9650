using System.Net;
using System.Net.Http.Headers;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.Tests.Authentication;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Refit;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace BotRuntime.Tests.Connector;

public sealed class OutboundReplyTests
{
    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_both_attempts_carry_the_token()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        bed.Channel.FailFirst.Enqueue(429);
        var stopwatch = Stopwatch.StartNew();

        var response = await bed.PostWithChannelTokenAsync(bed.Message("hello", id: "m1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The stand-in answers "Retry-After: 1"; the configured backoff alone would be 10 ms.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {stopwatch.Elapsed}");
        var attempts = bed.Channel.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal("/v3/conversations/c1/activities/m1", attempt.Path);
            Assert.Equal("Bearer cc-token-1", attempt.Authorization);
            Assert.Equal("echo: hello #1", attempt.Activity!.Text);
        });
        Assert.Single(bed.Tokens.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_are_retried(int status)
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => s["Bot:ConnectorMaxRetryAfter"] = "00:00:01");
        bed.Channel.FailFirst.Enqueue(status);
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message())).StatusCode);
        Assert.Equal(2, bed.Channel.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_is_not_waited_for()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => s["Bot:ConnectorMaxRetryAfter"] = "00:00:00.500");
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var connector = await ConnectorForAsync(bed, "c1");
        bed.Channel.FailFirst.Enqueue(429);
        var before = bed.Channel.Requests.Count;

        var failure = await Assert.ThrowsAsync<ApiException>(() => connector.SendActivityAsync(Reply(bed, "c1", "later"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.StatusCode);
        Assert.Equal(before + 1, bed.Channel.Requests.Count);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => { s["Bot:ConnectorMaxRetries"] = "2"; s["Bot:ConnectorMaxRetryAfter"] = "00:00:01"; });
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var connector = await ConnectorForAsync(bed, "c1");
        var before = bed.Channel.Requests.Count;
        for (var i = 0; i < 5; i++)
        {
            bed.Channel.FailFirst.Enqueue(503);
        }
        var failure = await Assert.ThrowsAsync<ApiException>(() => connector.SendActivityAsync(Reply(bed, "c1", "x"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(before + 3, bed.Channel.Requests.Count);
    }

    [Fact]
    public async Task Send_update_and_delete_reach_the_channel_with_the_token()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1", conversation: "19:abc@thread.tacv2"))).StatusCode);
        var connector = await ConnectorForAsync(bed, "19:abc@thread.tacv2");

        var proactive = Reply(bed, "19:abc@thread.tacv2", "news");
        proactive.ReplyToId = null;
        await connector.SendActivityAsync(proactive, CancellationToken.None);
        var update = Reply(bed, "19:abc@thread.tacv2", "edited");
        update.Id = "sent-1";
        await connector.UpdateActivityAsync(update, CancellationToken.None);
        await connector.DeleteActivityAsync(new ConversationReference { ChannelId = "test", Conversation = new ConversationAccount { Id = "19:abc@thread.tacv2" }, ActivityId = "sent-1", ServiceUrl = bed.ServiceUrl }, CancellationToken.None);

        var calls = bed.Channel.Requests.Skip(1).Select(r => (r.Method, r.Path, r.Authorization)).ToList();
        Assert.Equal(
        [
            ("POST", "/v3/conversations/19%3Aabc%40thread.tacv2/activities", "Bearer cc-token-1"),
            ("PUT", "/v3/conversations/19%3Aabc%40thread.tacv2/activities/sent-1", "Bearer cc-token-1"),
            ("DELETE", "/v3/conversations/19%3Aabc%40thread.tacv2/activities/sent-1", "Bearer cc-token-1"),
        ], calls);
    }

    [Fact]
    public async Task One_token_request_serves_many_replies()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message($"m{i}", id: $"m{i}", conversation: $"c{i % 2}"))).StatusCode);
        }
        Assert.Equal(4, bed.Channel.Requests.Count);
        Assert.All(bed.Channel.Requests, r => Assert.Equal("Bearer cc-token-1", r.Authorization));
        var request = Assert.Single(bed.Tokens.Requests);
        Assert.Equal("/botframework.com/oauth2/v2.0/token", request.Path);
        Assert.Equal("client_credentials", request.Form["grant_type"]);
        Assert.Equal(StandInOpenIdIssuer.AppId, request.Form["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", request.Form["scope"]);
    }

    [Fact]
    public async Task A_new_token_is_requested_when_the_cached_one_nears_expiry()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var bed = await BotConnectorTestBed.StartAsync(clock: clock);

        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m2"))).StatusCode);
        Assert.Single(bed.Tokens.Requests);

        // One hour tokens are renewed 5 minutes before they expire.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m3"))).StatusCode);

        Assert.Equal(2, bed.Tokens.Requests.Count);
        Assert.Equal(["Bearer cc-token-1", "Bearer cc-token-1", "Bearer cc-token-2"], bed.Channel.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task A_request_to_an_untrusted_url_carries_no_authorization_header_whatever_the_caller_set()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        await using var attacker = await StandInChannel.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);

        // Even a request that names the authenticated conversation and sets its own header goes out bare.
        var client = bed.Host.App.Services.GetRequiredService<IHttpClientFactory>().CreateClient(BotConnectorConnector.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(attacker.ServiceUrl, "v3/conversations/c1/activities"))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "cc-token-1");
        request.Options.Set(BotConnectorAuthorizationHandler.ChannelIdOption, "test");
        request.Options.Set(BotConnectorAuthorizationHandler.ConversationIdOption, "c1");
        using var response = await client.SendAsync(request);

        var received = Assert.Single(attacker.Requests);
        Assert.Null(received.Authorization);
        Assert.Contains(bed.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.StartsWith("Not sending the bot's token to " + attacker.ServiceUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        Assert.DoesNotContain(bed.Logs.GetSnapshot(), r => r.Message.Contains("cc-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_conversation_never_authenticated_gets_no_token_even_on_a_known_host()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1", conversation: "c1"))).StatusCode);
        var connector = await ConnectorForAsync(bed, "c1");

        await connector.SendActivityAsync(Reply(bed, "other-conversation", "hi"), CancellationToken.None);

        Assert.Null(bed.Channel.Requests.Last().Authorization);
    }

    [Fact]
    public async Task A_reference_with_a_serviceUrl_that_was_not_authenticated_gets_no_connector()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        await using var attacker = await StandInChannel.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        var factory = bed.Host.App.Services.GetRequiredService<BotConnectorFactory>();

        var forged = bed.Message(serviceUrl: attacker.ServiceUrl.AbsoluteUri).GetConversationReference();
        Assert.Null((await factory.ForReferenceAsync(forged)).Connector);
        var unknown = bed.Message(conversation: "never-seen").GetConversationReference();
        Assert.Null((await factory.ForReferenceAsync(unknown)).Connector);
        var otherChannel = bed.Message(channelId: "msteams").GetConversationReference();
        Assert.Null((await factory.ForReferenceAsync(otherChannel)).Connector);

        // Trailing slash and case do not matter.
        var genuine = bed.Message(serviceUrl: bed.ServiceUrl.TrimEnd('/').ToUpperInvariant().Replace("HTTP:", "http:", StringComparison.Ordinal)).GetConversationReference();
        Assert.NotNull((await factory.ForReferenceAsync(genuine)).Connector);
        Assert.Empty(attacker.Requests);
    }

    [Fact]
    public async Task An_allow_listed_origin_receives_the_token_without_an_authenticated_request()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => s["Bot:TrustedServiceUrls:0"] = "http://127.0.0.1:1");
        await using var allowed = await StandInChannel.StartAsync();
        var factory = bed.Host.App.Services.GetRequiredService<BotConnectorFactory>();
        // The allow-list is per origin: the stand-in's port differs from the configured one, so not yet.
        var reference = bed.Message(serviceUrl: allowed.ServiceUrl.AbsoluteUri, conversation: "proactive-1").GetConversationReference();
        Assert.Null((await factory.ForReferenceAsync(reference)).Connector);

        await using var bed2 = await BotConnectorTestBed.StartAsync(settings: s => s["Bot:TrustedServiceUrls:0"] = allowed.ServiceUrl.GetLeftPart(UriPartial.Authority));
        var factory2 = bed2.Host.App.Services.GetRequiredService<BotConnectorFactory>();
        var choice = await factory2.ForReferenceAsync(reference);
        Assert.NotNull(choice.Connector);
        var message = MessageFactory.Text("reminder");
        message.ApplyConversationReference(reference);
        await choice.Connector.SendActivityAsync(message, CancellationToken.None);
        Assert.Equal("Bearer cc-token-1", Assert.Single(allowed.Requests).Authorization);
    }

    [Fact]
    public async Task The_trust_record_survives_a_restart_on_the_same_store()
    {
        var storage = new BotRuntime.State.MemoryStorage();
        await using var bed = await BotConnectorTestBed.StartAsync();
        var first = await BotTestHost.StartAsync(new RecordingBot(), "Production", BotConnectorTestBed.Settings(bed.Issuer, bed.Tokens), b => b.Services.AddSingleton<BotRuntime.State.IStorage>(storage));
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl, TimeProvider.System.GetUtcNow());
        var activity = bed.Message(id: "m1");
        activity.DeliveryMode = DeliveryModes.ExpectReplies;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(BotJson.Serialize(activity), System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await first.Client.SendAsync(request)).StatusCode);
        }
        await first.DisposeAsync();

        await using var second = await BotTestHost.StartAsync(new RecordingBot(), "Production", BotConnectorTestBed.Settings(bed.Issuer, bed.Tokens), b => b.Services.AddSingleton<BotRuntime.State.IStorage>(storage));
        var choice = await second.App.Services.GetRequiredService<BotConnectorFactory>().ForReferenceAsync(bed.Message().GetConversationReference());
        Assert.NotNull(choice.Connector);
    }

    private static async Task<IChannelConnector> ConnectorForAsync(BotConnectorTestBed bed, string conversation)
    {
        var choice = await bed.Host.App.Services.GetRequiredService<BotConnectorFactory>().ForReferenceAsync(bed.Message(conversation: conversation).GetConversationReference());
        return choice.Connector ?? throw new InvalidOperationException(choice.Refusal);
    }

    private static Activity Reply(BotConnectorTestBed bed, string conversation, string text) =>
        bed.Message(conversation: conversation).CreateReply(text);
}
