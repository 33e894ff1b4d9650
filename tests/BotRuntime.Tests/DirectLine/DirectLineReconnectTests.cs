using System.Net;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// A page reload, as the customer page does it: the tab kept the conversation id and token, the new page rejoins with
/// <c>GET /conversations/{id}?watermark=</c> (DirectLineJS sends an empty watermark when it was given none), Web
/// Chat starts empty so the whole conversation must come again, and the bot must not greet again.
/// </summary>
public sealed class DirectLineReconnectTests
{
    private const string Base = "/v3/directline";

    private static async Task<(string ConversationId, string Token)> GenerateBoundAsync(DirectLineTestHost host)
    {
        var generated = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret,
            new { user = new { id = "dl_portal-reload" }, binding = new { sessionId = "live" } }));
        return (generated.GetProperty("conversationId").GetString()!, generated.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task A_reloaded_page_rejoins_with_an_empty_watermark_gets_everything_replayed_and_the_bot_hears_nothing_new()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(new RecordingBindingSink()));
        var (conversationId, token) = await GenerateBoundAsync(host);
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token)).StatusCode);
        var posted = await host.PostAsync(conversationId, token, "switch my plan", clientActivityId: "c-before-reload");
        var before = await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.ReplyToId == posted));
        var turnsBefore = bot.Received.Count;

        var response = await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}?watermark=", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejoined = await DirectLineTestHost.JsonAsync(response);
        Assert.Equal(["conversationId", "token", "expires_in", "streamUrl"], rejoined.EnumerateObject().Select(property => property.Name));
        Assert.Equal(conversationId, rejoined.GetProperty("conversationId").GetString());
        // A fresh token for the same user, conversation and session binding: DirectLineJS adopts it and refreshes it from then on.
        var fresh = rejoined.GetProperty("token").GetString()!;
        Assert.NotEqual(token, fresh);
        var (oldClaims, newClaims) = (DirectLineTestHost.JwtPayload(token), DirectLineTestHost.JwtPayload(fresh));
        foreach (var claim in new[] { "user", "conv", "bid" })
        {
            Assert.Equal(oldClaims.GetProperty(claim).GetString(), newClaims.GetProperty(claim).GetString());
        }
        var streamUrl = rejoined.GetProperty("streamUrl").GetString()!;
        Assert.Contains("watermark=0&t=", streamUrl, StringComparison.Ordinal);

        // The stream replays the conversation from its start: greeting, the customer's message (with the
        // clientActivityID Web Chat gave it) and the reply, in order, exactly as a poll sees them.
        using var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        var (replayed, _) = await DirectLineStreamTests.CollectAsync(socket, activities => activities.Count >= before.Count);
        Assert.Equal(before.Select(a => a.Id), replayed.Select(a => a.Id));
        Assert.Equal(before.Select(a => a.Text), replayed.Select(a => a.Text));
        Assert.Equal("c-before-reload", replayed.Single(a => a.Id == posted).ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Single(replayed, a => a.Text?.StartsWith("welcome", StringComparison.Ordinal) == true);

        // Rejoining is not joining: no conversationUpdate, no turn at all.
        await Task.Delay(200);
        Assert.Equal(turnsBefore, bot.Received.Count);
        Assert.Equal(2, bot.Received.Count(activity => activity.IsType(ActivityTypes.ConversationUpdate)));

        // The conversation goes on with the new token, in the same bot conversation.
        var after = await host.PostAsync(conversationId, fresh, "premium");
        await host.WaitForAsync(conversationId, fresh, activities => activities.Exists(a => a.ReplyToId == after));
        Assert.Equal(2, bot.Messages);
    }

    [Fact]
    public async Task A_page_reloaded_before_its_conversation_started_starts_it_by_rejoining_and_greets_once()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(new RecordingBindingSink()));
        var (conversationId, token) = await GenerateBoundAsync(host);

        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}?watermark=", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}?watermark=", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token)).StatusCode);

        var log = await host.WaitForAsync(conversationId, token, activities => activities.Count >= 1);
        await Task.Delay(200);
        Assert.Equal(["welcome dl_portal-reload"], (await host.GetAsync(conversationId, token)).Activities.Select(a => a.Text));
        Assert.Single(log);
        Assert.Equal(2, bot.Received.Count(activity => activity.IsType(ActivityTypes.ConversationUpdate)));
    }

    [Fact]
    public async Task Rejoining_with_an_expired_token_is_403_and_a_conversation_past_its_retention_is_404()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(),
            new() { ["DirectLine:TokenLifetime"] = "00:30:00", ["DirectLine:ActivityRetention"] = "00:20:00" },
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        var (expiring, expiringToken, _) = await host.StartConversationAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        var (gone, goneToken, _) = await host.StartConversationAsync();

        // 25 minutes after it was last written the second conversation is gone, while its token is still valid.
        time.Advance(TimeSpan.FromMinutes(25));
        var missing = await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{gone}?watermark=", goneToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var expired = await host.SendAsync(HttpMethod.Get, $"{Base}/conversations/{expiring}?watermark=", expiringToken);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("TokenExpired", (await DirectLineTestHost.JsonAsync(expired)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ResumeAsync_gives_the_owner_a_fresh_token_for_the_same_conversation_and_refuses_everyone_else()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(),
            new() { ["DirectLine:ActivityRetention"] = "00:50:00" },
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddSingleton<ISessionBindingSink>(new RecordingBindingSink());
            });
        var service = host.App.Services.GetRequiredService<DirectLineTokenService>();
        var (conversationId, token) = await GenerateBoundAsync(host);
        var started = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token));
        static bool Mine(DirectLineTokenClaims claims) => claims.UserId == "dl_portal-reload" && claims.BindingId is not null;

        time.Advance(TimeSpan.FromMinutes(20));
        var resumed = await service.ResumeAsync(token, Mine, CancellationToken.None);
        Assert.Equal(200, resumed.StatusCode);
        Assert.Equal(conversationId, resumed.Response!.ConversationId);
        Assert.Equal(1800, resumed.Response.ExpiresIn);
        var claims = DirectLineTestHost.JwtPayload(resumed.Response.Token!);
        Assert.Equal("dl_portal-reload", claims.GetProperty("user").GetString());
        Assert.Equal(conversationId, claims.GetProperty("conv").GetString());
        Assert.Equal(DirectLineTestHost.JwtPayload(token).GetProperty("bid").GetString(), claims.GetProperty("bid").GetString());
        // It outlives the token it replaced: 20 minutes later the old one is expired, the new one still resumes.
        time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal("TokenExpired", (await service.ResumeAsync(token, Mine, CancellationToken.None)).Error!.Error!.Code);
        Assert.Equal(200, (await service.ResumeAsync(resumed.Response.Token, Mine, CancellationToken.None)).StatusCode);

        // Someone else's (the caller decides: for the portal, another login), a stream-only token, the secret, junk, nothing.
        var foreign = await service.ResumeAsync(resumed.Response.Token, _ => false, CancellationToken.None);
        Assert.Equal((403, "Forbidden"), (foreign.StatusCode, foreign.Error!.Error!.Code));
        Assert.Null(foreign.Response);
        var streamToken = Uri.UnescapeDataString(started.GetProperty("streamUrl").GetString()!.Split("&t=")[1]);
        Assert.Equal(403, (await service.ResumeAsync(streamToken, _ => true, CancellationToken.None)).StatusCode);
        Assert.Equal(403, (await service.ResumeAsync(DirectLineTestHost.Secret, _ => true, CancellationToken.None)).StatusCode);
        Assert.Equal(403, (await service.ResumeAsync("not.a.token", _ => true, CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await service.ResumeAsync("", _ => true, CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await service.ResumeAsync(null, _ => true, CancellationToken.None)).StatusCode);

        // A conversation past its retention (50 minutes after it was last written) cannot be resumed, even with a valid token.
        var latest = (await service.ResumeAsync(resumed.Response.Token, Mine, CancellationToken.None)).Response!.Token;
        time.Advance(TimeSpan.FromMinutes(15));
        var gone = await service.ResumeAsync(latest, Mine, CancellationToken.None);
        Assert.Equal(404, gone.StatusCode);
    }
}
