using System.Net;
using System.Net.Http.Json;
using AriaBot.Handoff;
using static AriaBot.Tests.Handoff.StandInOpenIdProvider;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 at <c>/agent/backchannel-logout</c>: the provider POSTs a <c>logout_token</c>
/// server to server (no cookie of the console's). A token that fails any check (signature, <c>iss</c>, <c>aud</c>,
/// <c>iat</c>, the logout event, a <c>nonce</c>, neither <c>sid</c> nor <c>sub</c>, a <c>jti</c> seen before) gets 400
/// with its reason and ends nothing; a valid one ends exactly the console sessions of its <c>sid</c> (or, without one,
/// of its <c>sub</c>). And the provider-session index never keeps an entry for a session that is gone, whoever ended it.
/// One host for the class: each test signs in its own agents under provider sessions of its own.
/// </summary>
public sealed class AgentBackChannelLogoutTests(AgentBackChannelLogoutTests.ProviderAndHost fixture) : IClassFixture<AgentBackChannelLogoutTests.ProviderAndHost>
{
    private const string Robin = "agent-robin";

    public sealed class ProviderAndHost : IAsyncLifetime
    {
        internal StandInOpenIdProvider Provider { get; private set; } = null!;

        internal AssistantTestHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Provider = await StartAsync();
            Host = new AssistantTestHost(Provider.ConsoleSettings());
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    private StandInOpenIdProvider Provider => fixture.Provider;

    private AssistantTestHost Host => fixture.Host;

    [Fact]
    public async Task Every_token_that_fails_a_check_gets_400_with_its_reason_and_ends_nothing_a_valid_one_ends_the_session_once()
    {
        using var console = await SignedInAsync("bcl-rejections");
        var now = Host.Time.GetUtcNow();
        var valid = new LogoutClaims(now) { Sid = "bcl-rejections", Subject = Robin };
        var refused = new (string Why, string? Token, string Says)[]
        {
            ("no logout_token", null, "logout_token"),
            ("not a JWT", "not-a-jwt", "not a valid signed JWT"),
            ("signed with a key the provider does not publish", Provider.LogoutToken(valid with { SignWithUnpublishedKey = true }), "signature"),
            ("another client's audience", Provider.LogoutToken(valid with { Audience = "another-client" }), "(aud)"),
            ("another issuer", Provider.LogoutToken(valid with { Issuer = "https://evil.example" }), "(iss)"),
            ("no back-channel logout event", Provider.LogoutToken(valid with { WithLogoutEvent = false }), "events"),
            ("a nonce", Provider.LogoutToken(valid with { Nonce = "n-0123" }), "nonce"),
            ("a stale iat", Provider.LogoutToken(valid with { IssuedAt = now.AddMinutes(-10) }), "iat"),
            ("an iat from the future", Provider.LogoutToken(valid with { IssuedAt = now.AddMinutes(10) }), "iat"),
            ("neither sid nor sub", Provider.LogoutToken(valid with { Sid = null, Subject = null }), "neither"),
            // Typed as another kind of token (§2.4): an access token (RFC 9068), a generic security event token.
            ("typed as an access token", Provider.LogoutToken(valid with { TokenType = "at+jwt" }), "(typ)"),
            ("typed as a security event token", Provider.LogoutToken(valid with { TokenType = "secevent+jwt" }), "(typ)"),
        };
        foreach (var (why, token, says) in refused)
        {
            var (status, body, cacheControl) = await PostLogoutAsync(token);
            Assert.True(status == HttpStatusCode.BadRequest, $"{why}: {status}");
            Assert.Contains(says, body, StringComparison.Ordinal);
            Assert.Contains("no-store", cacheControl, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);
        }
        // A JSON body is not the form the specification asks for.
        using (var server = Host.NewBrowser(new Uri("https://localhost")))
        {
            var json = await server.PostAsJsonAsync(new Uri(AgentBackChannelLogout.Path, UriKind.Relative), new { logout_token = Provider.LogoutToken(valid) });
            Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);

        var logout = Provider.LogoutToken(valid);
        var ended = await PostLogoutAsync(logout);
        Assert.Equal(HttpStatusCode.OK, ended.Status);
        Assert.Contains("no-store", ended.CacheControl, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);

        // The same token again (a replay): refused, whatever it would end.
        var replayed = await PostLogoutAsync(logout);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.Status);
        Assert.Contains("(jti)", replayed.Body, StringComparison.Ordinal);

        var logs = string.Join("\n", Host.Logs.GetSnapshot().Select(record => record.Message + " " + record.Exception));
        Assert.Contains("back-channel logout was refused", logs, StringComparison.Ordinal);
        Assert.All(Provider.Issued, issued => Assert.DoesNotContain(issued, logs, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("logout+jwt")]
    [InlineData("application/logout+jwt")]
    [InlineData("Logout+JWT")]
    [InlineData("JWT")]
    [InlineData(null)]
    public async Task A_token_typed_logout_jwt_or_untyped_is_accepted(string? typ)
    {
        var providerSession = "bcl-typ-" + (typ ?? "none").Replace('/', '-').Replace('+', '-');
        using var console = await SignedInAsync(providerSession);
        var (status, body, _) = await PostLogoutAsync(Provider.LogoutToken(new LogoutClaims(Host.Time.GetUtcNow()) { Sid = providerSession, Subject = Robin, TokenType = typ }));
        Assert.True(status == HttpStatusCode.OK, $"typ {typ ?? "(none)"}: {status} {body}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/agent/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_valid_token_ends_exactly_the_sessions_of_its_sid_and_one_with_only_a_sub_every_session_of_that_user()
    {
        using var first = await SignedInAsync("bcl-shared");
        // Another browser of the same agent in the same provider session, the same agent in another provider session,
        // and a colleague.
        using var second = await SignedInAsync("bcl-shared");
        using var elsewhere = await SignedInAsync("bcl-elsewhere");
        using var colleague = await SignedInAsync("bcl-colleague", "agent-sky");

        var bySid = await PostLogoutAsync(Provider.LogoutToken(new LogoutClaims(Host.Time.GetUtcNow()) { Sid = "bcl-shared", Subject = Robin }));
        Assert.Equal(HttpStatusCode.OK, bySid.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/agent/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/agent/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/agent/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/agent/api/me")).StatusCode);
        await AssertNoIndexEntryOutlivesItsSessionAsync();

        var bySub = await PostLogoutAsync(Provider.LogoutToken(new LogoutClaims(Host.Time.GetUtcNow()) { Subject = Robin }));
        Assert.Equal(HttpStatusCode.OK, bySub.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/agent/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/agent/api/me")).StatusCode);
        await AssertNoIndexEntryOutlivesItsSessionAsync();

        // A valid token naming nobody who is signed in ends nothing and still succeeds.
        Assert.Equal(HttpStatusCode.OK, (await PostLogoutAsync(Provider.LogoutToken(new LogoutClaims(Host.Time.GetUtcNow()) { Sid = "bcl-nobody" }))).Status);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/agent/api/me")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_of_the_console_deletes_the_sessions_provider_index_entries_at_once()
    {
        var before = await IndexEntriesAsync();
        using var console = await SignedInAsync("bcl-console-sign-out");
        Assert.Equal(before.Count + 2, (await IndexEntriesAsync()).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await console.PostAsync("/agent/api/logout")).StatusCode);
        await AssertNoIndexEntryOutlivesItsSessionAsync();
        Assert.Equal(before.Count, (await IndexEntriesAsync()).Count);
    }

    private async Task<AgentConsole> SignedInAsync(string providerSession, string subject = Robin)
    {
        Provider.SessionId = providerSession;
        Provider.NextUser = new AgentUser(subject, "Robin Agent", "handoff-agent");
        var console = new AgentConsole(Host);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AgentOpenIdConnectTests.SignInThroughProviderAsync(Provider, console)).StatusCode);
        await console.RefreshTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/agent/api/me")).StatusCode);
        return console;
    }

    /// <summary>The provider's POST: server to server, so without any cookie of the console's.</summary>
    private async Task<(HttpStatusCode Status, string Body, string CacheControl)> PostLogoutAsync(string? token)
    {
        using var server = Host.NewBrowser(new Uri("https://localhost"));
        using var form = new FormUrlEncodedContent(token is null ? [] : [new KeyValuePair<string, string>("logout_token", token)]);
        var answer = await server.PostAsync(new Uri(AgentBackChannelLogout.Path, UriKind.Relative), form);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync(), answer.Headers.CacheControl?.ToString() ?? "");
    }

    private async Task<List<string>> IndexEntriesAsync() =>
        [.. (await Host.Storage.ReadPrefixAsync("handoff/agent-sessions-by-", 10_000)).Select(row => row.Key)];

    private async Task AssertNoIndexEntryOutlivesItsSessionAsync()
    {
        foreach (var entry in await IndexEntriesAsync())
        {
            var session = "handoff/agent-sessions/" + entry[(entry.LastIndexOf('/') + 1)..];
            Assert.True((await Host.Storage.ReadAsync([session])).Count == 1, $"{entry} points at a session that is gone");
        }
    }
}
