using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Session;

/// <summary>
/// Web chat inside the portal: the portal's server hands over the customer's Aria session through the real Direct
/// Line endpoints of the AriaBot host, in both deployments (self-hosted Direct Line and Azure Bot Service).
/// </summary>
public sealed class PortalBindingTests
{
    private const string DirectLine = "/v3/directline";

    [Fact]
    public async Task Self_hosted_a_token_generated_with_the_session_opens_a_conversation_that_is_signed_in()
    {
        await using var host = NewHost();
        var session = await host.OpenAriaSessionAsync();
        var generated = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_portal-ana", name = "Ana" }, binding = new { ariaSessionId = session } });
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var body = await Json(generated);
        var token = body.GetProperty("token").GetString()!;
        var conversationId = body.GetProperty("conversationId").GetString()!;
        Assert.DoesNotContain(session, JwtPayload(token), StringComparison.Ordinal);

        Assert.Equal("SignedIn 1000001 alice", await ConverseAsync(host, token, conversationId, "what do I owe?"));
        var stored = Assert.Single(await host.Storage.ReadPrefixAsync("session-bindings/c/", 10));
        Assert.Equal($"session-bindings/c/directline/{Uri.EscapeDataString(conversationId)}/dl_portal-ana", stored.Key);

        // A token without a binding (another visitor) is not signed in.
        var anonymous = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { }));
        Assert.Equal("NotSignedIn", await ConverseAsync(host, anonymous.GetProperty("token").GetString()!, anonymous.GetProperty("conversationId").GetString()!, "hi"));
    }

    [Fact]
    public async Task The_web_page_gets_a_bound_token_in_process_without_the_secret()
    {
        await using var host = NewHost();
        var session = await host.OpenAriaSessionAsync("bob", "bob-demo-1");
        var tokens = host.Services.GetRequiredService<IPortalChatTokens>();
        var result = await tokens.CreateAsync(session, new PortalChatTokenOptions { UserName = "Bob", TrustedOrigins = ["https://portal.example.com"] });
        Assert.True(result.Succeeded);
        Assert.Equal("SignedIn 1000002 bob", await ConverseAsync(host, result.Response!.Token!, result.Response.ConversationId!, "hi"));

        host.Sandbox.Write(s => s.Sessions.Single(x => x.SessionId == session).Killed = true);
        var rejected = await tokens.CreateAsync(session);
        Assert.False(rejected.Succeeded);
        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal("BindingRejected", rejected.Error!.Error!.Code);
    }

    [Fact]
    public async Task An_invalid_or_expired_session_or_a_malformed_binding_is_rejected_and_gets_no_token()
    {
        await using var host = NewHost();
        var session = await host.OpenAriaSessionAsync();
        host.Time.Advance(TimeSpan.FromMinutes(31));
        foreach (var binding in new object[] { new { ariaSessionId = session }, new { ariaSessionId = "not-a-session" }, new { sessionId = "x" }, new { ariaSessionId = 42 }, "just a string", new { ariaSessionId = "" } })
        {
            var response = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { binding });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await Json(response);
            Assert.Equal("BindingRejected", error.GetProperty("error").GetProperty("code").GetString());
            Assert.False(error.TryGetProperty("token", out _));
        }
        Assert.Empty(await host.Storage.ReadPrefixAsync("session-bindings/", 10));
    }

    [Fact]
    public async Task Azure_mode_the_registration_waits_for_the_users_first_turn_and_serves_exactly_one_conversation()
    {
        await using var azure = await AzureBotService.StartAsync();
        await using var host = NewHost(azure.Settings());
        var session = await host.OpenAriaSessionAsync("carol", "carol-demo-1");
        var registered = await SendAsync(host, HttpMethod.Post, "/api/session-bindings", AssistantTestHost.BindingSecret,
            new { userId = "dl_azure-ana", channelId = "webchat", binding = new { ariaSessionId = session } });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        Assert.Single(await host.Storage.ReadPrefixAsync("session-bindings/u/", 10));

        // Azure's Direct Line delivers the user's activities to /api/messages with the dl_ id it put in the token.
        Assert.Equal("NotSignedIn", await BotConnectorTurnAsync(host, azure, "azure-conv-1", "dl_someone-else"));
        Assert.Equal("SignedIn 1000003 carol", await BotConnectorTurnAsync(host, azure, "azure-conv-1", "dl_azure-ana"));
        Assert.Equal("SignedIn 1000003 carol", await BotConnectorTurnAsync(host, azure, "azure-conv-1", "dl_azure-ana"));
        Assert.Empty(await host.Storage.ReadPrefixAsync("session-bindings/u/", 10));
        Assert.Equal("NotSignedIn", await BotConnectorTurnAsync(host, azure, "azure-conv-2", "dl_azure-ana"));
        Assert.Equal("NotSignedIn", await BotConnectorTurnAsync(host, azure, "azure-conv-1", "dl_azure-ana", channelId: Channels.DirectLine));
    }

    [Fact]
    public async Task Azure_mode_an_unclaimed_registration_expires_and_a_dead_session_is_rejected()
    {
        await using var azure = await AzureBotService.StartAsync();
        await using var host = NewHost(azure.Settings(new() { ["SignIn:PortalBindingLifetime"] = "00:10:00" }));
        var session = await host.OpenAriaSessionAsync();
        var body = new { userId = "dl_azure-late", channelId = "webchat", binding = new { ariaSessionId = session } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Post, "/api/session-bindings", "wrong-secret-0123456789", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(host, HttpMethod.Post, "/api/session-bindings", AssistantTestHost.BindingSecret, body)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("NotSignedIn", await BotConnectorTurnAsync(host, azure, "azure-conv-9", "dl_azure-late"));

        host.Sandbox.Write(s => s.Sessions.Single(x => x.SessionId == session).Killed = true);
        var rejected = await SendAsync(host, HttpMethod.Post, "/api/session-bindings", AssistantTestHost.BindingSecret, body);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("BindingRejected", (await Json(rejected)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_portal_binding_is_extended_while_the_customer_chats_and_expires_with_its_Aria_session_when_they_stop()
    {
        await using var host = NewHost();
        var tokens = host.Services.GetRequiredService<IPortalChatTokens>();
        var session = await host.OpenAriaSessionAsync();
        var result = await tokens.CreateAsync(session);
        var token = result.Response!.Token!;
        var conversationId = result.Response.ConversationId!;
        host.Sandbox.Calls.Clear();

        // How old the portal's session is the bot cannot know, so the first turn that checks it extends it first.
        Assert.Equal("SignedIn 1000001 alice", await ConverseAsync(host, token, conversationId, "hi"));
        Assert.Equal(["keep_alive_m", "validate_session_m"], host.Sandbox.Calls.All.Select(call => call.RestCall));
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("SignedIn 1000001 alice", await ConverseAsync(host, token, conversationId, "hi again"));
        Assert.Equal(1, host.Sandbox.Calls.Count("keep_alive_m"));

        // Then the customer stops chatting: nothing extends the session, and once Aria ends it the binding goes too.
        var calls = host.Sandbox.Calls.All.Count;
        var expiresAt = host.Sandbox.Read(state => state.Sessions.Single(s => s.SessionId == session).ExpiresAt);
        while (host.Time.GetUtcNow() < expiresAt)
        {
            host.Time.Advance(TimeSpan.FromMinutes(10));
            token = (await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/refresh", token))).GetProperty("token").GetString()!;
        }
        Assert.Equal(calls, host.Sandbox.Calls.All.Count);
        Assert.Equal("Expired", await ConverseAsync(host, token, conversationId, "still there?"));
        Assert.Empty(await host.Storage.ReadPrefixAsync("session-bindings/c/", 10));
    }

    private static AssistantTestHost NewHost(Dictionary<string, string?>? settings = null) =>
        new(settings, services => services.AddSingleton<IBot>(sp => new SessionProbeBot(sp.GetRequiredService<IAccountSession>())));

    /// <summary>Posts one message through Direct Line and returns the bot's answer to it.</summary>
    private static async Task<string> ConverseAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token);
        var posted = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", token,
            new { type = "message", text, from = new { id = "whoever-the-client-claims" } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (await Json(posted)).GetProperty("id").GetString();
        var set = await Json(await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token));
        var reply = set.GetProperty("activities").EnumerateArray().Last(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id);
        return reply.GetProperty("text").GetString()!;
    }

    /// <summary>An activity on /api/messages as Azure would deliver it (with its channel JWT), answered in the response.</summary>
    private static async Task<string> BotConnectorTurnAsync(AssistantTestHost host, AzureBotService azure, string conversationId, string userId, string channelId = Channels.Webchat)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = channelId,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = userId },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = "hi",
            ServiceUrl = AzureBotService.ServiceUrl,
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = JsonContent.Create(activity, options: BotJson.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", azure.ChannelToken(host.Time.GetUtcNow()));
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        return Assert.Single(replies!.Activities).Text!;
    }

    private static string JwtPayload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
    }

    /// <summary>A bot that answers every message with what the session check says.</summary>
    private sealed class SessionProbeBot(IAccountSession session) : ActivityHandler
    {
        protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        {
            var check = await session.CheckAsync(turnContext, cancellationToken);
            var text = check.IsSignedIn ? $"SignedIn {check.AccountNo} {check.AriaUserId}" : check.Status.ToString();
            await turnContext.SendActivityAsync(text, cancellationToken: cancellationToken);
        }
    }
}
