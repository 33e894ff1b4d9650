using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;
using AriaBot.Handoff;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// Agents signing in to the console through the host's OpenID Connect provider: the real ASP.NET Core handler runs the
/// authorization code flow (PKCE, <c>form_post</c>) against <see cref="StandInOpenIdProvider"/>. An agent with the role
/// gets the console's own session cookie and server-side session; a user without the role, a token signed with a key
/// the provider does not publish and an expired token are all refused; nothing the provider issued reaches a log.
/// </summary>
public sealed partial class AgentOpenIdConnectTests : IAsyncLifetime
{
    private StandInOpenIdProvider _provider = null!;
    private AssistantTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _provider = await StandInOpenIdProvider.StartAsync();
        _host = new AssistantTestHost(_provider.ConsoleSettings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_with_the_role_signs_in_through_the_provider_and_gets_the_consoles_own_session()
    {
        using var console = new AgentConsole(_host);
        await console.RefreshTokenAsync();
        var offered = await AgentConsole.Json(await console.GetAsync("/agent/api/antiforgery"));
        Assert.False(offered.GetProperty("passwords").GetBoolean());
        Assert.Equal("Sign in with your organisation", offered.GetProperty("openIdConnect").GetString());

        var callback = await SignInThroughProviderAsync(console);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/agent/", callback.Headers.Location?.OriginalString);
        var cookie = Assert.Single(callback.Headers.GetValues("Set-Cookie"), value => value.StartsWith(AgentSignIn.CookieName + "=", StringComparison.Ordinal));
        foreach (var flag in new[] { "path=/agent", "secure", "samesite=strict", "httponly" })
        {
            Assert.Contains(flag, cookie, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(1, _provider.TokenRequests);

        await console.RefreshTokenAsync();
        var me = await console.GetAsync("/agent/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("Robin Agent", (await AgentConsole.Json(me)).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/queue")).StatusCode);

        // The cookie names a server-side session: signing out ends it, whatever copy of the cookie is replayed.
        Assert.Equal(HttpStatusCode.NoContent, (await console.PostAsync("/agent/api/logout")).StatusCode);
        using var replay = new HttpRequestMessage(HttpMethod.Get, new Uri("/agent/api/me", UriKind.Relative));
        replay.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var elsewhere = _host.NewBrowser(new Uri("https://localhost"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.SendAsync(replay)).StatusCode);

        var logs = string.Join("\n", _host.Logs.GetSnapshot().Select(record => record.Message + " " + record.Exception));
        Assert.Contains("Robin Agent signed in to the console through OpenID Connect", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(StandInOpenIdProvider.ClientSecret, logs, StringComparison.Ordinal);
        Assert.All(_provider.Issued, issued => Assert.DoesNotContain(issued, logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_of_the_provider_without_the_agent_role_is_refused()
    {
        _provider.NextUser = new("user-sam", "Sam Sales", "sales", "billing-viewer");
        using var console = new AgentConsole(_host);

        var callback = await SignInThroughProviderAsync(console);

        AssertRefused(callback);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);
        Assert.Contains(_host.Logs.GetSnapshot(), record => record.Message.Contains("without the agent role was refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_provider_does_not_publish_is_refused()
    {
        _provider.SignWithUnpublishedKey = true;
        using var console = new AgentConsole(_host);

        AssertRefused(await SignInThroughProviderAsync(console));
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        _provider.IssueExpired = true;
        using var console = new AgentConsole(_host);

        AssertRefused(await SignInThroughProviderAsync(console));
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_callback_nobody_started_here_is_refused_and_another_sites_navigation_cannot_start_one()
    {
        using var console = new AgentConsole(_host);
        // A code and state from elsewhere, with no correlation cookie of this browser.
        using var forged = new FormUrlEncodedContent([new("code", "0123456789abcdef"), new("state", "forged-state")]);
        AssertRefused(await console.Browser.PostAsync(new Uri(AgentOpenIdConnect.CallbackPath, UriKind.Relative), forged));
        Assert.Equal(0, _provider.TokenRequests);

        using var crossSite = new HttpRequestMessage(HttpMethod.Get, new Uri("/agent/api/oidc/login", UriKind.Relative));
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await console.Browser.SendAsync(crossSite)).StatusCode);
    }

    [Fact]
    public void Half_an_OpenID_Connect_configuration_is_refused_at_start_up()
    {
        var options = new HandoffOptions { OpenIdConnect = new() { Authority = "https://login.example.com", ClientId = "console" } };
        var problems = options.Validate(new ValidationContext(options)).Select(problem => problem.ErrorMessage).ToList();
        Assert.Contains("Handoff:OpenIdConnect needs Authority, ClientId and ClientSecret together.", problems);

        options.OpenIdConnect = new() { Authority = "http://login.example.com", ClientId = "console", ClientSecret = "s" };
        Assert.Contains("Handoff:OpenIdConnect:Authority must be an absolute https URL.", options.Validate(new ValidationContext(options)).Select(problem => problem.ErrorMessage));
    }

    /// <summary>What the agent's browser does: the console's button, the provider's page, its form posted back.</summary>
    private Task<HttpResponseMessage> SignInThroughProviderAsync(AgentConsole console) => SignInThroughProviderAsync(_provider, console);

    internal static async Task<HttpResponseMessage> SignInThroughProviderAsync(StandInOpenIdProvider provider, AgentConsole console)
    {
        var start = await console.GetAsync("/agent/api/oidc/login");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(provider.Authority + "/authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("response_mode=form_post", authorize.Query, StringComparison.Ordinal);

        using var providerBrowser = new HttpClient();
        var page = await providerBrowser.GetStringAsync(authorize);
        var action = new Uri(WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value));
        Assert.Equal("https://localhost" + AgentOpenIdConnect.CallbackPath, action.AbsoluteUri);
        var fields = HiddenField().Matches(page).Select(match => new KeyValuePair<string, string>(match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value)));
        using var form = new FormUrlEncodedContent(fields);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(action.PathAndQuery, UriKind.Relative)) { Content = form };
        // The provider's page posts across sites, as it would in a browser.
        post.Headers.Add("Sec-Fetch-Site", "cross-site");
        return await console.Browser.SendAsync(post);
    }

    private static void AssertRefused(HttpResponseMessage callback)
    {
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(AgentOpenIdConnect.RefusedRedirect, callback.Headers.Location?.OriginalString);
        Assert.DoesNotContain(callback.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            value => value.StartsWith(AgentSignIn.CookieName + "=", StringComparison.Ordinal) && !value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\">")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>")]
    private static partial Regex HiddenField();
}
