using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using BotRuntime.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Web;

/// <summary>
/// The page's server side: who the customer is comes from the portal cookie only, never from the browser. Tests on
/// the default settings share one host, each with its own browser (cookies) and demo account; a test with a
/// <see cref="RecordingSink"/> (it counts every binding the host makes) or its own settings starts its own.
/// </summary>
public sealed class PortalEndpointsTests(SharedWebHost shared) : IClassFixture<SharedWebHost>
{
    private static readonly Uri Me = new("/portal/me", UriKind.Relative);
    private static readonly Uri DemoAccounts = new("/portal/demo-accounts", UriKind.Relative);
    private static readonly Uri DemoSignIn = new("/portal/demo-sign-in", UriKind.Relative);
    private static readonly Uri SignOut = new("/portal/sign-out", UriKind.Relative);
    private static readonly Uri ChatToken = new("/portal/chat-token", UriKind.Relative);
    private static readonly Uri ChatResume = new("/portal/chat-resume", UriKind.Relative);

    [Fact]
    public async Task The_demo_picker_lists_the_sandbox_accounts_without_passwords()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();
        var body = await client.GetStringAsync(DemoAccounts);

        using var accounts = JsonDocument.Parse(body);
        Assert.Equal(7, accounts.RootElement.GetArrayLength());
        var alice = accounts.RootElement[0];
        Assert.Equal("alice", alice.GetProperty("userId").GetString());
        Assert.Equal("Alice Martin", alice.GetProperty("name").GetString());
        Assert.Equal(1000001, alice.GetProperty("acctNo").GetInt64());
        Assert.DoesNotContain("demo-1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_demo_sign_in_sets_an_HttpOnly_SameSite_Strict_cookie_and_the_summary_comes_from_Aria()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();

        var signIn = await client.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("ariabot-portal=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // The cookie is encrypted: the account is not readable in it.
        Assert.DoesNotContain("alice", cookie, StringComparison.OrdinalIgnoreCase);

        using var me = JsonDocument.Parse(await client.GetStringAsync(Me));
        Assert.True(me.RootElement.GetProperty("signedIn").GetBoolean());
        var customer = me.RootElement.GetProperty("customer");
        Assert.Equal("Alice", customer.GetProperty("firstName").GetString());
        Assert.Equal(1000001, customer.GetProperty("acctNo").GetInt64());
        Assert.Equal("Standard", customer.GetProperty("plans")[0].GetProperty("name").GetString());
        Assert.Contains("4242", customer.GetProperty("paymentMethod").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_accounts_the_sandbox_lists_can_be_picked()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync(DemoSignIn, new { userId = "mallory" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(DemoSignIn, new StringContent("not json"))).StatusCode);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("cross-site", null)]
    [InlineData("same-site", null)]
    [InlineData(null, "https://evil.example")]
    public async Task Portal_posts_from_another_origin_or_from_no_browser_are_refused(string? fetchSite, string? origin)
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient();
        foreach (var uri in new[] { DemoSignIn, SignOut, ChatToken, ChatResume })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(new { userId = "alice" }) };
            if (fetchSite is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            }
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task An_old_browser_without_fetch_metadata_is_judged_by_its_origin()
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatToken);
        request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Signed_out_the_chat_token_has_a_server_chosen_user_and_no_binding()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var client = factory.PageClient();
        var response = await client.PostAsync(ChatToken, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("expires_in").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("conversationId").GetString()));
        var claims = WebHost.JwtPayload(body.RootElement.GetProperty("token").GetString()!);
        Assert.StartsWith("dl_", claims.GetProperty("user").GetString(), StringComparison.Ordinal);
        Assert.False(claims.TryGetProperty("bid", out _));
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Signed_in_the_chat_token_is_bound_to_a_fresh_Aria_session_for_that_customer_that_never_reaches_the_browser()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var client = factory.PageClient();
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "bob" });

        var first = await client.PostAsync(ChatToken, null);
        var second = await client.PostAsync(ChatToken, null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        var firstClaims = WebHost.JwtPayload(JsonDocument.Parse(firstBody).RootElement.GetProperty("token").GetString()!);
        var secondClaims = WebHost.JwtPayload(JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!);

        Assert.Equal(2, sink.Requests.Count);
        var binding = sink.Requests.First();
        var sessionId = binding.Payload.GetProperty("ariaSessionId").GetString()!;
        Assert.Equal(["ariaSessionId"], binding.Payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("directline", binding.ChannelId);
        Assert.Equal(firstClaims.GetProperty("user").GetString(), binding.UserId);
        Assert.Equal(firstClaims.GetProperty("bid").GetString(), binding.BindingId);
        // One chat user per portal sign-in, chosen by the server.
        Assert.Equal(firstClaims.GetProperty("user").GetString(), secondClaims.GetProperty("user").GetString());
        Assert.DoesNotContain(sessionId, firstBody, StringComparison.Ordinal);
        Assert.DoesNotContain(sessionId, firstClaims.GetRawText(), StringComparison.Ordinal);

        // The session is a live Aria session of bob's account (set_session_m, no password).
        var aria = factory.Services.GetRequiredService<IAriaClient>();
        var validated = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = sessionId });
        Assert.True(validated.IsSuccess);
        Assert.Equal(1000002, validated.Value.AccountNo);
    }

    [Fact]
    public async Task With_the_sign_in_features_sink_the_conversation_is_bound_to_the_customers_account()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "erin" });

        var response = await client.PostAsync(ChatToken, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var conversationId = body.RootElement.GetProperty("conversationId").GetString()!;
        var user = WebHost.JwtPayload(body.RootElement.GetProperty("token").GetString()!).GetProperty("user").GetString()!;

        var binding = await factory.Services.GetRequiredService<ISessionBindings>().GetAsync(new BindingKey("directline", conversationId, user, TurnIngress.DirectLine));
        Assert.NotNull(binding);
        Assert.Equal(1000005, binding.AccountNo);
    }

    private static async Task<(string ConversationId, string Token)> NewChatAsync(HttpClient client)
    {
        var response = await client.PostAsync(ChatToken, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("conversationId").GetString()!, body.RootElement.GetProperty("token").GetString()!);
    }

    private static Task<HttpResponseMessage> ResumeAsync(HttpClient client, string token) => client.PostAsJsonAsync(ChatResume, new { token });

    [Fact]
    public async Task A_reloaded_page_rejoins_its_conversation_with_a_fresh_token_and_no_new_Aria_session()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var client = factory.PageClient();
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        var (conversationId, token) = await NewChatAsync(client);

        var response = await ResumeAsync(client, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["conversationId", "token", "expires_in"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(conversationId, body.RootElement.GetProperty("conversationId").GetString());
        var (before, after) = (WebHost.JwtPayload(token), WebHost.JwtPayload(body.RootElement.GetProperty("token").GetString()!));
        Assert.Equal(before.GetProperty("user").GetString(), after.GetProperty("user").GetString());
        Assert.Equal(before.GetProperty("bid").GetString(), after.GetProperty("bid").GetString());
        // The conversation keeps the Aria session it was bound to: rejoining binds nothing new.
        Assert.Single(sink.Requests);
    }

    [Fact]
    public async Task A_conversation_is_not_rejoined_after_signing_out_as_another_customer_or_after_signing_in_again()
    {
        await using var factory = WebHost.Create(sink: new RecordingSink());
        using var client = factory.PageClient();
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        var (_, alices) = await NewChatAsync(client);

        await client.PostAsync(SignOut, null);
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(client, alices)).StatusCode);
        var (_, signedOut) = await NewChatAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await ResumeAsync(client, signedOut)).StatusCode);

        await client.PostAsJsonAsync(DemoSignIn, new { userId = "bob" });
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(client, alices)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(client, signedOut)).StatusCode);

        // Alice again is a new portal login: her earlier conversation stays behind (a shared computer, a new visit).
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(client, alices)).StatusCode);
        var (_, alicesNew) = await NewChatAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await ResumeAsync(client, alicesNew)).StatusCode);
    }

    [Fact]
    public async Task Rejoining_needs_a_token_this_bot_issued()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(client, "eyJhbGciOiJub25lIn0.eyJ1c2VyIjoiZGxfeCIsImNvbnYiOiJ4In0.")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(ChatResume, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(ChatResume, new StringContent("not json"))).StatusCode);
    }

    [Fact]
    public async Task Signing_out_forgets_the_customer()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var client = factory.PageClient();
        await client.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });

        var signOut = await client.PostAsync(SignOut, null);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        using var me = JsonDocument.Parse(await client.GetStringAsync(Me));
        Assert.False(me.RootElement.GetProperty("signedIn").GetBoolean());
        await client.PostAsync(ChatToken, null);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Signing_out_ends_the_Aria_sessions_of_that_logins_chats_and_no_one_elses()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var alice = factory.PageClient();
        using var bob = factory.PageClient();
        await alice.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        await bob.PostAsJsonAsync(DemoSignIn, new { userId = "bob" });
        await NewChatAsync(alice);
        await NewChatAsync(alice);
        await NewChatAsync(bob);
        var sessions = sink.Requests.Select(request => request.Payload.GetProperty("ariaSessionId").GetString()!).ToList();
        var aria = factory.Services.GetRequiredService<IAriaClient>();
        async Task<bool> Alive(string session) => (await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = session })).IsSuccess;
        Assert.True(await Alive(sessions[0]) && await Alive(sessions[1]) && await Alive(sessions[2]));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PostAsync(SignOut, null)).StatusCode);

        // Alice's chat tokens now lead to a dead session (the chat asks to sign in again); Bob's chat is untouched.
        Assert.False(await Alive(sessions[0]));
        Assert.False(await Alive(sessions[1]));
        Assert.True(await Alive(sessions[2]));
        // A second sign-out (another tab) has nothing left to end and still succeeds.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PostAsync(SignOut, null)).StatusCode);
    }

    [Fact]
    public async Task A_forged_cookie_is_no_login()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var client = factory.PageClient();
        client.DefaultRequestHeaders.Add("Cookie", "ariabot-portal=CfDJ8forged");
        using var me = JsonDocument.Parse(await client.GetStringAsync(Me));
        Assert.False(me.RootElement.GetProperty("signedIn").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(ChatToken, null)).StatusCode);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Chat_tokens_are_rate_limited_per_client()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?> { ["Web:ChatTokensPerMinute"] = "2" });
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(ChatToken, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(ChatToken, null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync(ChatToken, null)).StatusCode);
    }

    [Fact]
    public async Task Unknown_portal_paths_are_404_not_the_page()
    {
        var factory = shared.Factory;
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/portal/nothing-here", UriKind.Relative))).StatusCode);
    }
}
