using System.Security.Claims;
using System.Xml.Linq;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace BotRuntime.Tests.State;

/// <summary>
/// Two hosts over one SQLite file stand for two instances behind a load balancer (and a host built after the others
/// are gone for a restart): what one protects, the other accepts, because the key ring lives in the state store.
/// </summary>
public sealed class KeyRingSharingTests : IDisposable
{
    private const string PortalScheme = "PortalLogin";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "keyring-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _hosts = [];

    private string DatabasePath => Path.Combine(_directory, "state.db");

    private ServiceProvider Host(string applicationName = "AriaBot")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:ApplicationName"] = applicationName })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<IStorage>(_ => SqliteStorage.ForFile(DatabasePath, TimeProvider.System));
        services.AddStateStoreKeyRing(configuration);
        services.AddAntiforgery();
        services.AddAuthentication().AddCookie(PortalScheme);
        var host = services.BuildServiceProvider();
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public void A_payload_protected_by_one_instance_is_read_by_another_and_after_a_restart()
    {
        var first = Host();
        var protectedLink = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Protect("link-42");

        var second = Host();
        Assert.Equal("link-42", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Unprotect(protectedLink));

        DisposeHosts();
        var restarted = Host();
        Assert.Equal("link-42", restarted.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Unprotect(protectedLink));
        // The second instance and the restart used the first one's key instead of making their own.
        Assert.Single(StoredKeys());
    }

    [Fact]
    public void Another_application_name_does_not_accept_the_payload()
    {
        var protectedLink = Host().GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Protect("link-42");
        var stranger = Host(applicationName: "SomethingElse").GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => stranger.Unprotect(protectedLink));
    }

    [Fact]
    public async Task An_antiforgery_token_issued_by_one_instance_validates_on_another()
    {
        var first = Host();
        var issuing = new DefaultHttpContext { RequestServices = first };
        var tokens = first.GetRequiredService<IAntiforgery>().GetAndStoreTokens(issuing);

        var second = Host();
        var options = second.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var posting = new DefaultHttpContext { RequestServices = second };
        posting.Request.Method = "POST";
        posting.Request.Headers.Cookie = $"{options.Cookie.Name}={tokens.CookieToken}";
        posting.Request.Headers[options.HeaderName!] = tokens.RequestToken;
        Assert.True(await second.GetRequiredService<IAntiforgery>().IsRequestValidAsync(posting));

        // The check is real: a token from another deployment's key ring is refused.
        var stranger = Host(applicationName: "SomethingElse");
        posting.RequestServices = stranger;
        Assert.False(await stranger.GetRequiredService<IAntiforgery>().IsRequestValidAsync(posting));
    }

    [Fact]
    public void A_portal_cookie_made_by_one_instance_signs_in_on_another()
    {
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "customer-7")], PortalScheme)), PortalScheme);
        var cookie = CookieFormat(Host()).Protect(ticket);

        var read = CookieFormat(Host()).Unprotect(cookie);
        Assert.Equal("customer-7", read?.Principal.Identity?.Name);
    }

    [Fact]
    public void Payloads_from_before_a_key_rotation_are_still_accepted_and_new_ones_use_the_new_key()
    {
        var first = Host();
        var before = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Protect("old");
        var now = TimeProvider.System.GetUtcNow();
        first.GetRequiredService<IKeyManager>().CreateNewKey(activationDate: now, expirationDate: now.AddDays(90));

        var second = Host();
        var protector = second.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links");
        var after = protector.Protect("new");
        Assert.Equal("old", protector.Unprotect(before));
        Assert.Equal(2, StoredKeys().Count);

        DisposeHosts();
        var restarted = Host().GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links");
        Assert.Equal("old", restarted.Unprotect(before));
        Assert.Equal("new", restarted.Unprotect(after));
    }

    [Fact]
    public void Key_material_never_reaches_the_logs()
    {
        var first = Host();
        var protectedLink = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Protect("link-42");
        var second = Host();
        second.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignIn.Links").Unprotect(protectedLink);

        var secrets = StoredKeys().SelectMany(key => key.Descendants("masterKey").Descendants("value")).Select(v => v.Value).ToList();
        Assert.NotEmpty(secrets);
        var logged = _hosts.SelectMany(h => h.GetFakeLogCollector().GetSnapshot())
            .Select(r => r.Message + " " + r.Exception + " " + string.Join(' ', r.StructuredState?.Select(kv => kv.Value) ?? []))
            .ToList();
        Assert.NotEmpty(logged);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logged, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_bot_runtime_keeps_its_key_ring_in_the_state_store()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["State:Provider"] = "Memory" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddBotRuntime(configuration);
        using var host = services.BuildServiceProvider();
        Assert.IsType<StorageXmlRepository>(host.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.Equal("AriaBot", host.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    private static ISecureDataFormat<AuthenticationTicket> CookieFormat(ServiceProvider host) =>
        host.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalScheme).TicketDataFormat;

    private List<XElement> StoredKeys()
    {
        using var storage = SqliteStorage.ForFile(DatabasePath, TimeProvider.System);
        return storage.ReadPrefixAsync(StorageXmlRepository.KeyPrefix, 100).GetAwaiter().GetResult()
            .Select(item => XElement.Parse(item.Value.Document.GetProperty("xml").GetString()!))
            .ToList();
    }

    private void DisposeHosts()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
        _hosts.Clear();
    }

    public void Dispose()
    {
        DisposeHosts();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle on another thread; the temp folder is cleaned by the OS.
        }
    }
}
