using System.Net;
using System.Text.Json;
using BotRuntime.DirectLine;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotRuntime.Tests.DirectLine;

public sealed class DirectLineBindingTests
{
    private const string Base = "/v3/directline";
    private const string AriaSession = "ARIA-SESSION-7f3c9e1d";

    [Fact]
    public async Task The_portal_binds_a_token_to_a_session_the_sink_gets_the_payload_and_the_token_only_an_opaque_id()
    {
        var sink = new RecordingBindingSink();
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(sink));
        var generated = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret,
            new { user = new { id = "dl_portal-42", name = "Ana" }, binding = new { sessionId = AriaSession } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;

        var request = Assert.Single(sink.Requests);
        Assert.Equal("directline", request.ChannelId);
        Assert.Equal(conversationId, request.ConversationId);
        Assert.Equal("dl_portal-42", request.UserId);
        Assert.Equal(AriaSession, request.Payload.GetProperty("sessionId").GetString());
        Assert.DoesNotContain(AriaSession, request.ToString(), StringComparison.Ordinal);

        var claims = DirectLineTestHost.JwtPayload(token);
        Assert.Equal("dl_portal-42", claims.GetProperty("user").GetString());
        Assert.Equal(request.BindingId, claims.GetProperty("bid").GetString());
        Assert.DoesNotContain(AriaSession, claims.GetRawText(), StringComparison.Ordinal);

        // The bot's turns carry the binding id in the turn identity, and the user is the portal's.
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token)).StatusCode);
        await host.PostAsync(conversationId, token, "balance?");
        await host.WaitForAsync(conversationId, token, activities => activities.Exists(a => a.Text?.StartsWith("echo", StringComparison.Ordinal) == true));
        var identity = bot.Identities.Last()!;
        Assert.Equal("dl_portal-42", identity.FindFirst(DirectLineClaimTypes.User)!.Value);
        Assert.Equal(request.BindingId, identity.FindFirst(DirectLineClaimTypes.BindingId)!.Value);
    }

    [Fact]
    public async Task A_portal_chosen_user_id_must_start_with_dl_and_a_rejected_binding_gets_no_token()
    {
        var sink = new RecordingBindingSink();
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(sink));
        var bad = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, new { user = new { id = "admin" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var rejected = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, new { binding = new { sessionId = "expired" } });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var body = await DirectLineTestHost.JsonAsync(rejected);
        Assert.Equal("BindingRejected", body.GetProperty("error").GetProperty("code").GetString());
        Assert.False(body.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Without_a_sink_binding_is_refused_with_501_rather_than_silently_ignored()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var response = await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, new { binding = new { sessionId = AriaSession } });
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        var azure = await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, new { userId = "dl_abc", binding = new { sessionId = AriaSession } });
        Assert.Equal(HttpStatusCode.NotImplemented, azure.StatusCode);
    }

    [Fact]
    public async Task Azure_mode_registers_a_binding_for_the_dl_user_with_the_binding_secret_only()
    {
        var sink = new RecordingBindingSink();
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), configure: builder => builder.Services.AddSingleton<ISessionBindingSink>(sink));
        var body = new { userId = "dl_azure-user-1", channelId = "webchat", binding = new { sessionId = AriaSession } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", null, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", "wrong-binding-secret-0000", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.Secret, body)).StatusCode);
        Assert.Empty(sink.Requests);

        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, body)).StatusCode);
        var request = Assert.Single(sink.Requests);
        Assert.Equal("webchat", request.ChannelId);
        Assert.Equal("dl_azure-user-1", request.UserId);
        Assert.Null(request.ConversationId);
        Assert.Null(request.BindingId);
        Assert.Equal(AriaSession, request.Payload.GetProperty("sessionId").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, new { userId = "user-1", binding = new { sessionId = "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, new { userId = "dl_x1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, new { userId = "dl_x1", binding = new { sessionId = "expired" } })).StatusCode);
    }

    [Fact]
    public async Task Secrets_tokens_and_binding_payloads_never_reach_the_log()
    {
        var sink = new RecordingBindingSink();
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), configure: builder =>
        {
            builder.Services.AddSingleton<ISessionBindingSink>(sink);
            builder.Logging.AddFakeLogging();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            // As AddBotLogging does: ASP.NET's own request lines print query strings, and a stream URL carries a
            // (stream-only, 60 s) token there. Everything else may log at any level.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        });
        var generated = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, new { binding = new { sessionId = AriaSession } }));
        var token = generated.GetProperty("token").GetString()!;
        var started = await DirectLineTestHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"{Base}/conversations", token));
        var conversationId = started.GetProperty("conversationId").GetString()!;
        await host.PostAsync(conversationId, token, "hello");
        await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/refresh", token);
        await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, new { binding = new { sessionId = "expired" } });
        await host.SendAsync(HttpMethod.Post, "/api/session-bindings", DirectLineTestHost.BindingSecret, new { userId = "dl_u", binding = new { sessionId = AriaSession } });
        await host.SendAsync(HttpMethod.Post, $"{Base}/tokens/generate", DirectLineTestHost.Secret, rawBody: $"{{\"binding\": {{\"sessionId\": \"{AriaSession}\"");
        using (var socket = await host.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None))
        {
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        var collector = host.App.Services.GetRequiredService<FakeLogCollector>();
        var lines = collector.GetSnapshot();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var text = line.Message + " " + string.Join(" ", line.StructuredState?.Select(pair => pair.Value) ?? []) + " " + line.Exception;
            Assert.DoesNotContain(DirectLineTestHost.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(DirectLineTestHost.BindingSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AriaSession, text, StringComparison.Ordinal);
            Assert.False(text.Contains(token[..40], StringComparison.Ordinal), $"{line.Category}: {text}");
        }
    }
}
