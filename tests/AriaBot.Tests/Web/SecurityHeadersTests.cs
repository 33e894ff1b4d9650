using System.Net;
using AriaBot.Web;

namespace AriaBot.Tests.Web;

/// <summary>
/// The headers every answer carries. Tests on the default settings share one host (they only read); a test with its
/// own settings starts its own.
/// </summary>
public sealed class SecurityHeadersTests(SharedWebHost shared) : IClassFixture<SharedWebHost>
{
    [Fact]
    public async Task The_page_gets_the_CSP_no_store_nosniff_and_no_referrer()
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy + "; frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        // Nothing to revalidate a no-store page against.
        Assert.False(response.Headers.Contains("ETag"));
        Assert.Null(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Portal_endpoints_are_no_store_with_the_CSP()
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/portal/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_scripts_get_nosniff_but_stay_cacheable()
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/js/portal.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Null(response.Headers.CacheControl);
    }

    [Fact]
    public async Task Configured_portal_origins_may_frame_the_page()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?>
        {
            ["Web:FrameAncestors:0"] = "'self'",
            ["Web:FrameAncestors:1"] = "https://portal.example.com",
        });
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.EndsWith("; frame-ancestors 'self' https://portal.example.com", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        // X-Frame-Options cannot name another origin, so it is left out rather than contradicting the CSP.
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task Only_self_sends_sameorigin()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?> { ["Web:FrameAncestors:0"] = "'self'" });
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Theory]
    [InlineData("https://portal.example.com/account")]
    [InlineData("https://*.example.com")]
    [InlineData("portal.example.com")]
    [InlineData("https://portal.example.com; script-src *")]
    [InlineData("'unsafe-inline'")]
    public void A_frame_ancestor_that_is_not_an_origin_stops_start_up(string ancestor)
    {
        using var factory = WebHost.Create(settings: new Dictionary<string, string?> { ["Web:FrameAncestors:0"] = ancestor });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Web:FrameAncestors", WebHost.Flatten(failure), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'self'", true)]
    [InlineData("https://portal.example.com", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("https://portal.example.com/", true)]
    [InlineData("ftp://portal.example.com", false)]
    [InlineData("'none'", false)]
    public void Frame_ancestor_values(string value, bool allowed) =>
        Assert.Equal(allowed, SecurityHeaders.IsFrameAncestor(value));

    [Theory]
    [InlineData("https://bot.example.com", true)]
    [InlineData("http://bot.example.com", false)]
    [InlineData("https://localhost", false)]
    [InlineData("https://127.0.0.1", false)]
    public async Task Https_responses_pin_https_except_on_loopback(string origin, bool pinned)
    {
        var factory = shared.Factory;
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri(origin), AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (pinned)
        {
            Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        }
        else
        {
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task A_zero_max_age_sends_no_strict_transport_security()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?> { ["Web:StrictTransportSecurityMaxAge"] = "00:00:00" });
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://bot.example.com") });
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
