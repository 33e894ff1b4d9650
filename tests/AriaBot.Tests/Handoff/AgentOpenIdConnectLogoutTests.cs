using System.Net;
using AriaBot.Handoff;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// RP-initiated logout of an agent who signed in through the OpenID Connect provider: the console's sign-out ends its
/// own session and answers the provider's <c>end_session_endpoint</c> (from the discovery document) with the id token as
/// <c>id_token_hint</c>, the client id, the registered post-logout redirect URI and a protected state; the provider sends
/// the browser back, and the handler lands it on the console's "signed out" page — only there, whatever a forged
/// callback says. Nothing the provider issued reaches a log. (Without an <c>end_session_endpoint</c> the sign-out stays
/// local and answers 204: AgentOpenIdConnectTests.)
/// </summary>
public sealed class AgentOpenIdConnectLogoutTests : IAsyncLifetime
{
    private StandInOpenIdProvider _provider = null!;
    private AssistantTestHost? _host;

    /// <summary>Started on first use: the test with password agents as well builds its own and never starts this one.</summary>
    private AssistantTestHost Host => _host ??= new AssistantTestHost(_provider.ConsoleSettings());

    public async Task InitializeAsync()
    {
        _provider = await StandInOpenIdProvider.StartAsync();
        _provider.OfferEndSession = true;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_consoles_session_and_the_providers_and_comes_back_to_the_console_only()
    {
        using var console = new AgentConsole(Host);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AgentOpenIdConnectTests.SignInThroughProviderAsync(_provider, console)).StatusCode);
        var idToken = Assert.Single(_provider.Issued, issued => issued.Count(c => c == '.') == 2);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);

        var logout = await console.PostAsync("/agent/api/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Null(logout.Headers.Location);
        var endSession = new Uri((await AgentConsole.Json(logout)).GetProperty("endSession").GetString()!);
        Assert.Equal(_provider.Authority + "/end-session", endSession.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(endSession.Query);
        Assert.Equal(idToken, query["id_token_hint"]);
        Assert.Equal(StandInOpenIdProvider.ClientId, query["client_id"]);
        Assert.Equal("https://localhost" + AgentOpenIdConnect.SignedOutCallbackPath, query["post_logout_redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        // The console's own session is over before the browser even reaches the provider.
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);

        // The provider ends its session and sends the browser back; the handler lands it on the console's page.
        using var providerBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = (await providerBrowser.GetAsync(endSession)).Headers.Location!;
        Assert.Equal(idToken, Assert.Single(_provider.EndSessionRequests)["id_token_hint"]);
        var landed = await console.Browser.GetAsync(new Uri(back.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal(AgentOpenIdConnect.SignedOutRedirect, landed.Headers.Location?.OriginalString);

        // A callback somebody else crafted (a state of their own, a redirect of their own) lands on the console too.
        foreach (var forged in new[] { "?state=forged", "?state=forged&redirect_uri=https%3A%2F%2Fevil.example", "?post_logout_redirect_uri=https%3A%2F%2Fevil.example" })
        {
            var answer = await console.Browser.GetAsync(new Uri(AgentOpenIdConnect.SignedOutCallbackPath + forged, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal(AgentOpenIdConnect.SignedOutRedirect, answer.Headers.Location?.OriginalString);
        }

        var logs = string.Join("\n", Host.Logs.GetSnapshot().Select(record => record.Message + " " + record.Exception));
        Assert.All(_provider.Issued, issued => Assert.DoesNotContain(issued, logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_front_channel_logout_from_the_provider_ends_the_consoles_server_side_session_of_that_provider_session_only()
    {
        _provider.SessionId = "provider-session-front-channel";
        using var console = new AgentConsole(Host);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AgentOpenIdConnectTests.SignInThroughProviderAsync(_provider, console)).StatusCode);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);

        // The provider's frame is another site's: it carries no cookie of the console's (SameSite=Strict, path /agent).
        using var providerFrame = Host.NewBrowser(new Uri("https://localhost"));
        var issuer = Uri.EscapeDataString(_provider.Authority);
        // Another provider session, another issuer, or no session named: nothing of this agent's ends.
        foreach (var query in new[] { $"?iss={issuer}&sid=another-session", $"?iss={Uri.EscapeDataString("https://evil.example")}&sid={_provider.SessionId}", $"?sid={_provider.SessionId}", "" })
        {
            Assert.Equal(HttpStatusCode.OK, (await providerFrame.GetAsync(new Uri("/signout-oidc" + query, UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);
        }

        var logout = await providerFrame.GetAsync(new Uri($"/signout-oidc?iss={issuer}&sid={_provider.SessionId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Contains("no-store", logout.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        // The server-side session is over: the agent's own cookie is refused from the next request on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_password_agent_signing_out_stays_local_even_when_the_provider_offers_an_end_session()
    {
        await using var both = new AssistantTestHost(AgentConsole.Settings(new()
        {
            ["Handoff:OpenIdConnect:Authority"] = _provider.Authority,
            ["Handoff:OpenIdConnect:ClientId"] = StandInOpenIdProvider.ClientId,
            ["Handoff:OpenIdConnect:ClientSecret"] = StandInOpenIdProvider.ClientSecret,
            ["Handoff:OpenIdConnect:RequireHttpsMetadata"] = "false",
        }));
        using var console = new AgentConsole(both);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await console.SignInAsync("dana@example.com")).StatusCode);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await console.PostAsync("/agent/api/logout")).StatusCode);
        Assert.Empty(_provider.EndSessionRequests);
    }
}
