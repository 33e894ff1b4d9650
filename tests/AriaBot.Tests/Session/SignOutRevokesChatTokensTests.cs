using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AriaBot.Tests.Privacy;
using AriaBot.Tests.Web;
using BotRuntime.DirectLine;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Session;

/// <summary>
/// Signing out closes the chat to every Direct Line token issued for it: a token copied before (another tab, a proxy
/// log) can no longer read the conversation, post to it, refresh itself, reconnect or be resumed by the page.
/// </summary>
public sealed class SignOutRevokesChatTokensTests
{
    private const string DirectLine = "/v3/directline";

    [Fact]
    public async Task Saying_sign_out_in_web_chat_revokes_the_conversations_tokens()
    {
        await using var host = new AssistantTestHost();
        var session = await host.OpenAriaSessionAsync();
        var generated = await DirectLineHttp.Json(await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate",
            AssistantTestHost.DirectLineSecret, new { user = new { id = "dl_signout-ana" }, binding = new { ariaSessionId = session } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token);
        // A second token of the same conversation, as another tab holding a refreshed one would have.
        var refreshed = (await DirectLineHttp.Json(await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/refresh", token)))
            .GetProperty("token").GetString()!;

        var id = await DirectLineEchoRedactionTests.PostAsync(host, token, conversationId, "sign out");
        // The goodbye is still logged (and pushed to the open stream); only the operator's secret can read it now.
        var log = await DirectLineEchoRedactionTests.ReadAllAsync(host, AssistantTestHost.DirectLineSecret, conversationId);
        Assert.Contains(log.EnumerateArray(), a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id
            && a.GetProperty("text").GetString()!.StartsWith("You're signed out", StringComparison.Ordinal));

        foreach (var old in new[] { token, refreshed })
        {
            await AssertRevokedAsync(host.Client, old, conversationId);
        }
        var resumed = await host.Services.GetRequiredService<DirectLineTokenService>().ResumeAsync(token, _ => true, CancellationToken.None);
        Assert.Equal(403, resumed.StatusCode);
    }

    [Fact]
    public async Task Signing_out_of_the_portal_revokes_the_tokens_of_that_logins_chats_and_no_one_elses()
    {
        await using var factory = WebHost.Create();
        using var alice = factory.PageClient();
        using var bob = factory.PageClient();
        await alice.PostAsJsonAsync(new Uri("/portal/demo-sign-in", UriKind.Relative), new { userId = "alice" });
        await bob.PostAsJsonAsync(new Uri("/portal/demo-sign-in", UriKind.Relative), new { userId = "bob" });
        var (aliceConversation, aliceToken) = await NewChatAsync(alice);
        var (bobConversation, bobToken) = await NewChatAsync(bob);
        using var chat = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(chat, HttpMethod.Get, $"{DirectLine}/conversations/{aliceConversation}/activities", aliceToken)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PostAsync(new Uri("/portal/sign-out", UriKind.Relative), null)).StatusCode);

        await AssertRevokedAsync(chat, aliceToken, aliceConversation);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(chat, HttpMethod.Get, $"{DirectLine}/conversations/{bobConversation}/activities", bobToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(chat, HttpMethod.Post, $"{DirectLine}/tokens/refresh", bobToken)).StatusCode);
    }

    private static async Task AssertRevokedAsync(HttpClient client, string token, string conversationId)
    {
        var calls = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", null),
            (HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", new { type = "message", text = "still there?" }),
            (HttpMethod.Post, $"{DirectLine}/tokens/refresh", null),
            (HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}", null),
            (HttpMethod.Post, $"{DirectLine}/conversations", null),
        };
        foreach (var (method, path, body) in calls)
        {
            var response = await SendAsync(client, method, path, token, body);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode} to a revoked token");
            Assert.Equal("TokenExpired", (await DirectLineHttp.Json(response)).GetProperty("error").GetProperty("code").GetString());
        }
    }

    private static async Task<(string ConversationId, string Token)> NewChatAsync(HttpClient page)
    {
        var response = await page.PostAsync(new Uri("/portal/chat-token", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await DirectLineHttp.Json(response);
        return (body.GetProperty("conversationId").GetString()!, body.GetProperty("token").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }
}
