using System.Net;
using System.Net.WebSockets;
using BotRuntime.DirectLine;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.DirectLine;

/// <summary>Sign-out closes a conversation to its tokens: every call with one is refused and an open stream ends.</summary>
public sealed class DirectLineRevocationTests
{
    [Fact]
    public async Task A_revoked_conversation_refuses_every_token_and_closes_its_open_stream_after_sending_what_was_logged()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), new() { ["DirectLine:KeepAliveInterval"] = "00:00:00.200" });
        var (conversationId, token, started) = await host.StartConversationAsync();
        using var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);

        Assert.True(await host.App.Services.GetRequiredService<DirectLineTokenService>().RevokeAsync(conversationId, CancellationToken.None));

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/v3/directline/conversations/{conversationId}/activities"),
            (HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities"),
            (HttpMethod.Get, $"/v3/directline/conversations/{conversationId}"),
            (HttpMethod.Post, "/v3/directline/tokens/refresh"),
            (HttpMethod.Post, "/v3/directline/conversations"),
        })
        {
            var response = await host.SendAsync(method, path, token, new { type = "message", text = "hi" });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("TokenExpired", (await DirectLineTestHost.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
        }
        Assert.Equal(403, (await host.App.Services.GetRequiredService<DirectLineTokenService>().ResumeAsync(token, _ => true, CancellationToken.None)).StatusCode);
        // The operator's secret is not a customer's token.
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversationId}/activities", DirectLineTestHost.Secret)).StatusCode);

        // The open stream first delivers the log (the greeting), then closes at its next keep-alive.
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var frames = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            frames += result.MessageType == WebSocketMessageType.Text && result.Count > 0 ? 1 : 0;
        }
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.True(frames >= 1);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
    }

    [Fact]
    public async Task Revoking_an_unknown_conversation_does_nothing()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var service = host.App.Services.GetRequiredService<DirectLineTokenService>();
        Assert.False(await service.RevokeAsync("unknownConversation1", CancellationToken.None));
        Assert.False(await service.RevokeAsync("../not an id", CancellationToken.None));
    }
}
