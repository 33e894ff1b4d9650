using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AriaBot.Tests.Web;

/// <summary>
/// Finding 5: with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> and no known proxies, ASP.NET Core believes
/// <c>X-Forwarded-For</c> from anyone, so a client that reaches the host directly names a new address per request and
/// escapes every per-address limit. The chat-token limiter (per client address) is the limit tested here.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly IPAddress DirectClient = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    private static WebApplicationFactory<Program> Host(Dictionary<string, string?>? settings = null, string environment = "Development")
    {
        var all = new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true", ["Web:ChatTokensPerMinute"] = "2" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        return WebHost.Create(environment, all);
    }

    /// <summary>POST /portal/chat-token as sent from <paramref name="from"/> with the given X-Forwarded-For.</summary>
    private static async Task<int> ChatTokenAsync(WebApplicationFactory<Program> factory, IPAddress from, string forwardedFor)
    {
        var context = await factory.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Post;
            request.Request.Path = "/portal/chat-token";
            request.Request.Headers["Sec-Fetch-Site"] = "same-origin";
            request.Request.Headers["X-Forwarded-For"] = forwardedFor;
            request.Connection.RemoteIpAddress = from;
        });
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task A_client_reaching_the_host_directly_cannot_escape_the_per_address_limit_by_naming_other_addresses()
    {
        await using var factory = Host();

        Assert.Equal(200, await ChatTokenAsync(factory, DirectClient, "198.51.100.1"));
        Assert.Equal(200, await ChatTokenAsync(factory, DirectClient, "198.51.100.2"));
        Assert.Equal(429, await ChatTokenAsync(factory, DirectClient, "198.51.100.3"));
    }

    [Fact]
    public async Task A_known_proxy_is_believed_so_each_client_behind_it_has_its_own_limit()
    {
        await using var factory = Host(new() { ["Web:ForwardedHeaders:KnownProxies:0"] = Proxy.ToString() });

        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(429, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.2"));
    }

    [Fact]
    public async Task A_known_network_is_believed_in_cidr()
    {
        await using var factory = Host(new() { ["Web:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/24" });

        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(429, await ChatTokenAsync(factory, Proxy, "198.51.100.1"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.2"));
    }

    [Fact]
    public async Task Trusting_all_proxies_reads_only_the_entry_the_front_end_appended_so_a_clients_own_entry_changes_nothing()
    {
        await using var factory = Host(new() { ["Web:ForwardedHeaders:TrustAllProxies"] = "true" });

        // App Service's front end appends the address it saw; what the client wrote itself sits to the left.
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.1, 192.0.2.9"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "198.51.100.2, 192.0.2.9"));
        Assert.Equal(429, await ChatTokenAsync(factory, Proxy, "198.51.100.3, 192.0.2.9"));
        Assert.Equal(200, await ChatTokenAsync(factory, Proxy, "192.0.2.10"));
    }

    [Fact]
    public void Outside_development_forwarded_headers_without_anyone_to_trust_stop_start_up()
    {
        using var factory = Host(environment: "Production");
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Web:ForwardedHeaders:KnownProxies", WebHost.Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_development_a_named_proxy_or_an_explicit_trust_all_starts()
    {
        using (var named = Host(new() { ["Web:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" }, "Production"))
        {
            named.CreateClient().Dispose();
        }
        using var trustAll = Host(new() { ["Web:ForwardedHeaders:TrustAllProxies"] = "true" }, "Production");
        trustAll.CreateClient().Dispose();
    }

    [Theory]
    [InlineData("Web:ForwardedHeaders:KnownProxies:0", "10.0.0.300", "KnownProxies")]
    [InlineData("Web:ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "KnownNetworks")]
    [InlineData("Web:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "KnownNetworks")]
    [InlineData("Web:ForwardedHeaders:ForwardLimit", "2", "ForwardLimit=1")]
    public void Bad_forwarded_header_settings_stop_start_up(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.EndsWith("ForwardLimit", StringComparison.Ordinal))
        {
            settings["Web:ForwardedHeaders:TrustAllProxies"] = "true";
        }
        using var factory = Host(settings);
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(named, WebHost.Flatten(failure), StringComparison.Ordinal);
    }
}
