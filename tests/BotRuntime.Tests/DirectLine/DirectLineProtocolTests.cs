using System.Net;
using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.DirectLine;

public sealed class DirectLineProtocolTests
{
    private const string Base = "/v3/directline";

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];

    [Fact]
    public async Task Tokens_generate_answers_with_direct_line_casing_and_a_plain_jwt_naming_a_dl_user_and_the_conversation()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await DirectLineTestHost.JsonAsync(response);
        Assert.Equal(["conversationId", "token", "expires_in"], Names(body));
        Assert.Equal(1800, body.GetProperty("expires_in").GetInt32());

        var claims = DirectLineTestHost.JwtPayload(body.GetProperty("token").GetString()!);
        Assert.StartsWith("dl_", claims.GetProperty("user").GetString(), StringComparison.Ordinal);
        Assert.Equal(body.GetProperty("conversationId").GetString(), claims.GetProperty("conv").GetString());
        Assert.False(claims.TryGetProperty("bid", out _));
        Assert.Equal(1800, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.True(claims.TryGetProperty("jti", out _));
    }

    [Fact]
    public async Task Tokens_generate_needs_the_secret()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", null)).StatusCode);
        var wrong = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", "not-the-secret-at-all");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(["error"], Names(await DirectLineTestHost.JsonAsync(wrong)));
        var (_, token, _) = await host.StartConversationAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", token)).StatusCode);
    }

    [Fact]
    public async Task Starting_a_conversation_tells_the_bot_it_and_the_tokens_user_joined_and_the_greeting_is_readable()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, started) = await host.StartConversationAsync();
        Assert.Equal(["conversationId", "token", "expires_in", "streamUrl"], Names(started));
        Assert.StartsWith($"ws://localhost/v3/directline/conversations/{conversationId}/stream?watermark=0&t=", started.GetProperty("streamUrl").GetString(), StringComparison.Ordinal);
        var user = DirectLineTestHost.JwtPayload(token).GetProperty("user").GetString();

        var log = await host.WaitForAsync(conversationId, token, activities => activities.Count == 1);
        Assert.Equal($"welcome {user}", log[0].Text);
        Assert.Equal(RoleTypes.Bot, log[0].From!.Role);
        var updates = bot.Received.Where(activity => activity.IsType(ActivityTypes.ConversationUpdate)).ToList();
        Assert.Equal(2, updates.Count);
        Assert.Equal("bot", updates[0].MembersAdded![0].Id);
        Assert.Equal(user, updates[1].MembersAdded![0].Id);
        Assert.All(updates, update =>
        {
            Assert.Equal(Channels.DirectLine, update.ChannelId);
            Assert.Equal("http://localhost", update.ServiceUrl);
            Assert.Equal(conversationId, update.Conversation!.Id);
        });

        // Starting again with the same token is "existing": 200, and the bot is not told twice.
        var again = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, bot.Received.Count(activity => activity.IsType(ActivityTypes.ConversationUpdate)));
    }

    [Fact]
    public async Task A_post_is_echoed_with_its_id_and_client_activity_id_and_from_is_the_tokens_user_whatever_the_client_claims()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        var user = DirectLineTestHost.JwtPayload(token).GetProperty("user").GetString();

        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/activities", token,
            new { type = "message", text = "hi", from = new { id = "admin", name = "Ana" }, channelData = new { clientActivityID = "client-1" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await DirectLineTestHost.JsonAsync(response);
        Assert.Equal(["id"], Names(body));
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches($"^{conversationId}\\|[0-9]{{7}}$", id);

        var log = await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.ReplyToId == id));
        var echo = Assert.Single(log, activity => activity.Id == id);
        Assert.Equal("client-1", echo.ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Equal(user, echo.From!.Id);
        Assert.Equal("Ana", echo.From.Name);
        Assert.Equal(RoleTypes.User, echo.From.Role);
        Assert.NotNull(echo.Timestamp);
        var reply = Assert.Single(log, activity => activity.ReplyToId == id);
        Assert.Equal($"echo: hi from {user} on directline", reply.Text);

        var seen = Assert.Single(bot.Received, activity => activity.IsType(ActivityTypes.Message));
        Assert.Equal(id, seen.Id);
        Assert.Equal(user, seen.From!.Id);
        Assert.Equal("http://localhost", seen.ServiceUrl);
        Assert.Equal("bot", seen.Recipient!.Id);
    }

    [Fact]
    public async Task A_retried_post_with_the_same_client_activity_id_gets_the_same_id_and_runs_one_turn()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        var first = await host.PostAsync(conversationId, token, "pay 10", clientActivityId: "retry-me");
        var second = await host.PostAsync(conversationId, token, "pay 10", clientActivityId: "retry-me");
        var parallel = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.PostAsync(conversationId, token, "pay 10", clientActivityId: "retry-me")));
        Assert.Equal(first, second);
        Assert.All(parallel, id => Assert.Equal(first, id));

        var log = await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.ReplyToId == first));
        Assert.Single(log, activity => activity.Text == "pay 10");
        Assert.Single(log, activity => activity.ReplyToId == first);
        Assert.Equal(1, bot.Messages);
    }

    [Fact]
    public async Task Get_returns_activities_after_the_watermark_and_the_next_watermark_as_a_string()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, _) = await host.StartConversationAsync();
        await host.WaitForAsync(conversationId, token, activities => activities.Count == 1);
        var (_, afterGreeting) = await host.GetAsync(conversationId, token);
        var response = await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}/activities", token);
        Assert.Equal(["activities", "watermark"], Names(await DirectLineTestHost.JsonAsync(response)));
        Assert.Equal(JsonValueKind.String, (await DirectLineTestHost.JsonAsync(response)).GetProperty("watermark").ValueKind);

        await host.PostAsync(conversationId, token, "one");
        await host.PostAsync(conversationId, token, "two");
        await host.WaitForAsync(conversationId, token, activities => activities.Count(a => a.Text?.StartsWith("echo:", StringComparison.Ordinal) == true) == 2);
        var (since, watermark) = await host.GetAsync(conversationId, token, afterGreeting);
        Assert.Equal(["one", "echo: one", "two", "echo: two"], since.Select(activity => activity.Text!.Split(" from ")[0]));
        Assert.True(long.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(afterGreeting, System.Globalization.CultureInfo.InvariantCulture));

        var (none, same) = await host.GetAsync(conversationId, token, watermark);
        Assert.Empty(none);
        Assert.Equal(watermark, same);
        var (everything, _) = await host.GetAsync(conversationId, token);
        Assert.Equal(5, everything.Count);
        Assert.Equal(everything.Select(a => a.Id).Order(StringComparer.Ordinal), everything.Select(a => a.Id));
    }

    [Theory]
    [InlineData(1, 1, "0000000001")]
    [InlineData(1, 12, "0000000001,0000000002,0000000003,0000000004,0000000005,0000000006,0000000007,0000000008,0000000009,0000000010,0000000011,0000000012")]
    [InlineData(10, 29, "000000001,000000002")]
    [InlineData(95, 205, "0000000095,0000000096,0000000097,0000000098,0000000099,00000001,0000000200,0000000201,0000000202,0000000203,0000000204,0000000205")]
    public void Watermark_ranges_become_exact_key_prefixes(long from, long to, string expected) =>
        Assert.Equal(expected.Split(','), DirectLineStore.CoveringPrefixes(from, to));

    [Fact]
    public async Task Another_conversations_token_is_403_and_an_unknown_conversation_is_404()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (first, _, _) = await host.StartConversationAsync();
        var (_, otherToken, _) = await host.StartConversationAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{first}/activities", otherToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{first}", otherToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{first}/activities", otherToken, new { type = "message", text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/AAAAAAAAAAAAAAAAAAAAAA/activities", DirectLineTestHost.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/..%2Fdl%2Finbox/activities", DirectLineTestHost.Secret)).StatusCode);
        // The secret opens any conversation.
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{first}/activities", DirectLineTestHost.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{first}/activities", null)).StatusCode);
    }

    [Fact]
    public async Task Tokens_expire_with_403_refresh_keeps_the_conversation_and_an_expired_token_cannot_be_refreshed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        var (conversationId, token, _) = await host.StartConversationAsync();

        time.Advance(TimeSpan.FromMinutes(20));
        var refreshed = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/refresh", token);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await DirectLineTestHost.JsonAsync(refreshed);
        Assert.Equal(["conversationId", "token", "expires_in"], Names(body));
        Assert.Equal(conversationId, body.GetProperty("conversationId").GetString());
        var newToken = body.GetProperty("token").GetString()!;
        Assert.Equal(DirectLineTestHost.JwtPayload(token).GetProperty("user").GetString(), DirectLineTestHost.JwtPayload(newToken).GetProperty("user").GetString());

        time.Advance(TimeSpan.FromMinutes(15));
        var expired = await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}/activities", token);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("TokenExpired", (await DirectLineTestHost.JsonAsync(expired)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/refresh", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}/activities", newToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/refresh", DirectLineTestHost.Secret)).StatusCode);
    }

    [Fact]
    public async Task A_flooding_conversation_gets_429_with_retry_after()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, new() { ["DirectLine:MaxPostsPerWindow"] = "2", ["DirectLine:RateLimitWindow"] = "00:01:00" });
        var (conversationId, token, _) = await host.StartConversationAsync();
        await host.PostAsync(conversationId, token, "1");
        await host.PostAsync(conversationId, token, "2");
        var flooded = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/activities", token, new { type = "message", text = "3" });
        Assert.Equal((HttpStatusCode)429, flooded.StatusCode);
        Assert.True(int.Parse(flooded.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("TooManyRequests", (await DirectLineTestHost.JsonAsync(flooded)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, bot.Messages);
        // Another conversation is not affected, and reading the flooded one still works.
        var (other, otherToken, _) = await host.StartConversationAsync();
        await host.PostAsync(other, otherToken, "fine");
        await host.GetAsync(conversationId, token);
    }

    [Fact]
    public async Task Upload_is_not_implemented()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, _) = await host.StartConversationAsync();
        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/upload?userId=x", token, new { });
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("NotImplemented", (await DirectLineTestHost.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Typing_goes_to_the_stream_only_and_events_pass_through()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var (conversationId, token, _) = await host.StartConversationAsync();
        await host.PostAsync(conversationId, token, "typing");
        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/activities", token, new { type = "event", name = "webchat/join", value = new { language = "en-US" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var log = await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text == "event webchat/join"));
        Assert.DoesNotContain(log, activity => activity.IsType(ActivityTypes.Typing));
        Assert.DoesNotContain(log, activity => activity.IsType(ActivityTypes.ConversationUpdate));
        Assert.Contains(log, activity => activity.IsType(ActivityTypes.Event) && activity.Name == "webchat/join");
    }

    [Fact]
    public async Task A_secret_holder_may_start_a_conversation_as_any_user_and_the_bot_hears_the_user_before_the_first_message()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", DirectLineTestHost.Secret, new { locale = "es-ES" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var conversationId = (await DirectLineTestHost.JsonAsync(response)).GetProperty("conversationId").GetString()!;
        await host.PostAsync(conversationId, DirectLineTestHost.Secret, "hola", fromId: "agent-tool");
        var log = await host.WaitForAsync(conversationId, DirectLineTestHost.Secret, activities => activities.Exists(a => a.Text?.StartsWith("echo", StringComparison.Ordinal) == true));
        Assert.Equal(["hola", "welcome agent-tool", "echo: hola from agent-tool on directline"], log.Select(activity => activity.Text));
        Assert.Equal("es-ES", bot.Received.Last().Locale);
    }
}
