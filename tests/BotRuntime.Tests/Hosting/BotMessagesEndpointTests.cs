using System.Net;
using System.Text.Json;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace BotRuntime.Tests.Hosting;

public sealed class BotMessagesEndpointTests
{
    [Fact]
    public async Task An_anonymous_expect_replies_turn_answers_with_the_replies()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostAsync(BotTestHost.Message("hello"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await BotTestHost.RepliesAsync(response));
        Assert.Equal("echo: hello #1", reply.Text);
        Assert.Equal("a1", reply.ReplyToId);
        Assert.Equal("user-1", reply.Recipient!.Id);
        Assert.Equal("bot", reply.From!.Id);
        Assert.Equal("c1", reply.Conversation!.Id);
    }

    [Fact]
    public async Task Outside_development_a_bot_without_app_id_refuses_to_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => BotTestHost.StartAsync(new RecordingBot(), environment: "Production"));
        Assert.Contains("MicrosoftAppId", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_anonymous_runs_when_explicitly_allowed()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), environment: "Production", settings: new() { ["Bot:AllowAnonymous"] = "true" });
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(BotTestHost.Message("hi"))).StatusCode);
    }

    [Fact]
    public async Task A_bot_with_an_app_id_refuses_anonymous_requests_and_runs_no_turn()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, environment: "Production", settings: new() { ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001", ["MicrosoftAppPassword"] = "not-used" });
        var response = await host.PostAsync(BotTestHost.Message("hi"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task A_present_authorization_header_is_never_waved_through_in_anonymous_mode()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(BotJson.Serialize(BotTestHost.Message("hi")), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-validated-token");
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostRawAsync("""{"type":"message", "text": """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, bot.Turns);
    }

    [Theory]
    [InlineData("""{"channelId":"test","conversation":{"id":"c"}}""", "type")]
    [InlineData("""{"type":"message","conversation":{"id":"c"}}""", "channelId")]
    [InlineData("""{"type":"message","channelId":"test"}""", "conversation.id")]
    [InlineData("""{"type":"message","channelId":"test","conversation":{}}""", "conversation.id")]
    [InlineData("null", "JSON object")]
    [InlineData("""[{"type":"message"}]""", "")]
    [InlineData("""{"type":"message","channelId":"test","conversation":{"id":"c"},"timestamp":"yesterday"}""", "")]
    public async Task Incomplete_or_ill_typed_activities_get_400_naming_the_problem(string body, string mentioned)
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostRawAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task An_oversized_body_gets_413_whether_or_not_it_declares_its_length()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, settings: new() { ["Bot:MaxActivityBytes"] = "2048" });
        var big = BotTestHost.Message(new string('x', 4096));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.PostAsync(big)).StatusCode);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(BotJson.Serialize(big)))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.SendAsync(chunked)).StatusCode);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task Other_methods_than_post_get_405()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.Client.GetAsync(new Uri("/api/messages", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Unknown_activity_types_reach_the_bot_unchanged()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostRawAsync("""{"type":"futureThing","id":"f1","channelId":"test","conversation":{"id":"c9"},"from":{"id":"u"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies","shiny":{"new":[1,2]}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("saw futureThing", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
        var seen = Assert.Single(bot.Received);
        Assert.Equal("futureThing", seen.Type);
        Assert.Equal("""{"new":[1,2]}""", seen.Properties!["shiny"].GetRawText());
    }

    [Fact]
    public async Task A_redelivered_activity_runs_once_and_gets_the_same_answer()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var first = await (await host.PostAsync(BotTestHost.Message("pay 50"))).Content.ReadAsStringAsync();
        var second = await (await host.PostAsync(BotTestHost.Message("pay 50"))).Content.ReadAsStringAsync();
        Assert.Equal(1, bot.Turns);
        Assert.Equal(first, second);
        // Same id in another conversation is another activity.
        await host.PostAsync(BotTestHost.Message("pay 50", conversation: "c2"));
        Assert.Equal(2, bot.Turns);
    }

    [Fact]
    public async Task A_duplicate_arriving_mid_turn_waits_and_gets_the_first_outcome()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var first = host.PostAsync(BotTestHost.Message("block"));
        await bot.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var duplicate = host.PostAsync(BotTestHost.Message("block"));
        await Task.Delay(100);
        Assert.False(duplicate.IsCompleted);
        bot.Gate.SetResult();
        var bodies = await Task.WhenAll((await Task.WhenAll(first, duplicate)).Select(r => r.Content.ReadAsStringAsync()));
        Assert.Equal(1, bot.Turns);
        Assert.Equal(bodies[0], bodies[1]);
        Assert.Contains("echo: block #1", bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_of_one_conversation_run_one_at_a_time_and_a_long_wait_gets_503()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, settings: new() { ["Bot:TurnQueueTimeout"] = "00:00:00.300" });
        var blocked = host.PostAsync(BotTestHost.Message("block", id: "a1"));
        await bot.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var queued = await host.PostAsync(BotTestHost.Message("next", id: "a2"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, queued.StatusCode);
        Assert.NotNull(queued.Headers.RetryAfter);
        // Another conversation is not held up.
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(BotTestHost.Message("other", id: "b1", conversation: "c2"))).StatusCode);

        bot.Gate.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await blocked).StatusCode);
        // The refused activity was not recorded as processed: its retry runs.
        var retried = await host.PostAsync(BotTestHost.Message("next", id: "a2"));
        Assert.Equal("echo: next #3", Assert.Single(await BotTestHost.RepliesAsync(retried)).Text);
    }

    [Fact]
    public async Task An_invoke_answers_with_the_bots_invoke_response_or_501()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        // Invoke answers travel in the HTTP response; a loopback serviceUrl keeps anonymous mode happy for anything else.
        var known = BotTestHost.Message("", id: "i1", serviceUrl: "http://127.0.0.1:9/");
        known.Type = ActivityTypes.Invoke;
        known.Name = "known";
        known.DeliveryMode = null;
        var response = await host.PostAsync(known);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The bot's body as it was written, on the first delivery and on a redelivery answered from the record (issue 22:
        // the answer is kept as UTF-8 bytes), without a second turn.
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"ok":true}""", await (await host.PostAsync(known)).Content.ReadAsStringAsync());
        Assert.Equal(1, bot.Turns);

        var unknown = BotTestHost.Message("", id: "i2", serviceUrl: "http://127.0.0.1:9/");
        unknown.Type = ActivityTypes.Invoke;
        unknown.Name = "composeExtension/query";
        unknown.DeliveryMode = null;
        Assert.Equal(HttpStatusCode.NotImplemented, (await host.PostAsync(unknown)).StatusCode);
    }

    [Fact]
    public async Task A_bot_that_throws_gets_a_plain_apology_out_and_the_process_lives_on()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var response = await host.PostAsync(BotTestHost.Message("throw"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var apology = Assert.Single(await BotTestHost.RepliesAsync(response));
        Assert.DoesNotContain("boom", apology.Text, StringComparison.Ordinal);
        Assert.Contains("Sorry", apology.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(BotTestHost.Message("still here", id: "a2"))).StatusCode);
    }

    [Fact]
    public async Task Caller_id_from_the_wire_is_never_trusted()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var spoofed = BotTestHost.Message("hi");
        spoofed.CallerId = CallerIds.PublicAzureChannel;
        await host.PostAsync(spoofed);
        Assert.Null(Assert.Single(bot.Received).CallerId);
    }

    [Fact]
    public async Task Liveness_answers_healthy()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot());
        var response = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
