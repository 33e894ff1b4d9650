using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.ScaleOut;

/// <summary>
/// Readiness (<c>/healthz/ready</c>) while the Data Protection key ring is protected by Key Vault: a random value is
/// wrapped and unwrapped with the configured key, which proves the key exists, allows both operations and the app's
/// identity may use it. Without that, no cookie, antiforgery token or signed link can be made or read, so an instance
/// that cannot is not ready — and says why in its log. A success is remembered for five minutes, so probes do not
/// call the vault every few seconds.
/// </summary>
public sealed partial class KeyVaultKeyRingCheck(
    IOptions<KeyVaultKeyRingOptions> options,
    IServiceProvider services,
    TimeProvider timeProvider,
    ILogger<KeyVaultKeyRingCheck> logger) : IHealthCheck
{
    public const string Name = "dataprotection-keyvault";

    private static readonly TimeSpan RememberSuccess = TimeSpan.FromMinutes(5);
    private DateTimeOffset _provenUntil = DateTimeOffset.MinValue;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.KeyVaultKeyId is not { } keyId)
        {
            return HealthCheckResult.Healthy("Data Protection keys are not protected by Key Vault (DataProtection:KeyVaultKeyId is not set).");
        }
        if (timeProvider.GetUtcNow() < _provenUntil)
        {
            return HealthCheckResult.Healthy();
        }
        var vault = (KeyVaultKeyClient)services.GetService(typeof(KeyVaultKeyClient))!;
        var probe = RandomNumberGenerator.GetBytes(32);
        try
        {
            var (kid, wrapped) = await vault.WrapAsync(probe, cancellationToken).ConfigureAwait(false);
            var back = await vault.UnwrapAsync(kid, wrapped, cancellationToken).ConfigureAwait(false);
            if (!CryptographicOperations.FixedTimeEquals(back, probe))
            {
                throw new KeyVaultKeyException($"Key Vault unwrapped a different value than it wrapped with {keyId}.");
            }
        }
        catch (KeyVaultKeyException exception)
        {
            LogUnusable(logger, keyId, exception.Message);
            return HealthCheckResult.Unhealthy($"The Data Protection key ring's Key Vault key cannot be used: {exception.Message}");
        }
        _provenUntil = timeProvider.GetUtcNow() + RememberSuccess;
        return HealthCheckResult.Healthy();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Data Protection's Key Vault key {KeyId} cannot be used: {Reason} No cookie, antiforgery token or signed link can be made or read until it can: check that the key exists (RSA, wrapKey and unwrapKey allowed), that the app's identity has the role Key Vault Crypto User on it, and DataProtection:KeyVaultKeyId.")]
    private static partial void LogUnusable(ILogger logger, Uri keyId, string reason);
}
