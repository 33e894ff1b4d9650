using System.Security.Cryptography;
using AriaBot.ScaleOut;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AriaBot.Tests.ScaleOut;

/// <summary>
/// The shared Data Protection key ring protected by a Key Vault key (<c>DataProtection:KeyVaultKeyId</c>), against a
/// stand-in vault on loopback that wraps with a real RSA key and checks the bearer token: one host's keys are read by
/// another, the store holds no key in the clear, and a wrong or unusable key fails readiness with its reason.
/// </summary>
public sealed class KeyVaultKeyRingTests : IAsyncLifetime
{
    private const string Token = "stand-in-managed-identity-token";
    private StandInKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await StandInKeyVault.StartAsync(Token);

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    /// <summary>One instance's services over <paramref name="store"/>: the runtime's key ring, and this folder's Key Vault protection.</summary>
    private static ServiceProvider Instance(IStorage store, Uri? keyId, StandInCredential credential, FakeLogCollector? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataProtection:KeyVaultKeyId"] = keyId?.AbsoluteUri,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false));
        if (logs is not null)
        {
            services.AddSingleton(logs);
        }
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddStateStoreKeyRing(configuration);
        services.AddScaleOut();
        services.AddSingleton(new KeyVaultCredential(credential));
        return services.BuildServiceProvider();
    }

    private static string[] StoredKeys(MemoryStorage store) =>
        [.. store.ReadPrefixAsync(StorageXmlRepository.KeyPrefix, 100).GetAwaiter().GetResult().Select(item => item.Value.Document.GetProperty("xml").GetString()!)];

    [Fact]
    public async Task A_key_ring_written_by_one_host_is_read_by_another_and_the_store_holds_no_key_in_the_clear()
    {
        var store = new MemoryStorage();
        var credential = new StandInCredential(Token);
        string protectedText;
        await using (var first = Instance(store, _vault.KeyId, credential))
        {
            protectedText = first.GetDataProtector("portal-cookie").Protect("alice's session");
        }
        await using (var second = Instance(store, _vault.KeyId, new StandInCredential(Token)))
        {
            Assert.Equal("alice's session", second.GetDataProtector("portal-cookie").Unprotect(protectedText));
        }

        var key = Assert.Single(StoredKeys(store));
        Assert.Contains("<keyVaultEnvelope", key, StringComparison.Ordinal);
        Assert.Contains(nameof(KeyVaultXmlDecryptor), key, StringComparison.Ordinal);
        Assert.Contains($"/keys/{StandInKeyVault.KeyName}/{StandInKeyVault.KeyVersion}", key, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
        Assert.Contains("wrapkey 200", _vault.Calls);
        Assert.Contains("unwrapkey 200", _vault.Calls);
        Assert.All(credential.Scopes, scope => Assert.Equal("https://vault.azure.net/.default", scope));
        Assert.NotEmpty(credential.Scopes);

        // Without the vault the stored ring is useless: an instance not configured for it cannot read what was protected.
        await using var withoutVault = Instance(store, keyId: null, new StandInCredential(Token));
        Assert.ThrowsAny<CryptographicException>(() => withoutVault.GetDataProtector("portal-cookie").Unprotect(protectedText));
    }

    [Fact]
    public async Task A_key_the_vault_does_not_have_fails_readiness_with_the_reason_in_the_log()
    {
        var logs = new FakeLogCollector();
        await using var instance = Instance(new MemoryStorage(), new Uri(_vault.BaseUrl, "/keys/no-such-key"), new StandInCredential(Token), logs);

        var report = await instance.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == KeyVaultKeyRingCheck.Name);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("404 (KeyNotFound)", report.Entries[KeyVaultKeyRingCheck.Name].Description, StringComparison.Ordinal);
        var logged = Assert.Single(logs.GetSnapshot(), record => record.Level == LogLevel.Error && record.Category == typeof(KeyVaultKeyRingCheck).FullName);
        Assert.Contains("no-such-key", logged.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Crypto User", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identity_the_vault_does_not_accept_fails_readiness_and_a_good_one_passes()
    {
        await using (var refused = Instance(new MemoryStorage(), _vault.KeyId, new StandInCredential("someone-else's-token")))
        {
            var report = await refused.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == KeyVaultKeyRingCheck.Name);
            Assert.Equal(HealthStatus.Unhealthy, report.Status);
            Assert.Contains("401 (Unauthorized)", report.Entries[KeyVaultKeyRingCheck.Name].Description, StringComparison.Ordinal);
        }
        await using var accepted = Instance(new MemoryStorage(), _vault.KeyId, new StandInCredential(Token));
        Assert.Equal(HealthStatus.Healthy, (await accepted.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == KeyVaultKeyRingCheck.Name)).Status);
    }

    [Fact]
    public async Task A_stored_key_naming_another_vault_is_not_sent_there()
    {
        await using var instance = Instance(new MemoryStorage(), _vault.KeyId, new StandInCredential(Token));
        var client = instance.GetRequiredService<KeyVaultKeyClient>();
        var calls = _vault.Calls.Count;

        await Assert.ThrowsAsync<KeyVaultKeyException>(() => client.UnwrapAsync("https://attacker.example/keys/dataprotection/v1", [1, 2, 3], default));
        await Assert.ThrowsAsync<KeyVaultKeyException>(() => client.UnwrapAsync(new Uri(_vault.BaseUrl, "/keys/other-key/v1").AbsoluteUri, [1, 2, 3], default));
        Assert.Equal(calls, _vault.Calls.Count);
    }

    [Theory]
    [InlineData("https://myvault.vault.azure.net/keys/dataprotection", true)]
    [InlineData("https://myvault.vault.azure.net/keys/dataprotection/0f1e2d3c", true)]
    [InlineData("http://127.0.0.1:5000/keys/dataprotection", true)]
    [InlineData("http://myvault.vault.azure.net/keys/dataprotection", false)]
    [InlineData("https://myvault.vault.azure.net/secrets/dataprotection", false)]
    [InlineData("https://myvault.vault.azure.net/keys/dataprotection?x=1", false)]
    public void The_key_id_must_be_a_key_vault_key_over_https(string keyId, bool valid)
    {
        var options = new KeyVaultKeyRingOptions { KeyVaultKeyId = new Uri(keyId) };
        Assert.Equal(valid, !options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Any());
    }
}
