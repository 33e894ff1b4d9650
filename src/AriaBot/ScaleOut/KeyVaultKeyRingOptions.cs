using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AriaBot.ScaleOut;

/// <summary>
/// The Key Vault key that protects the Data Protection key ring at rest (configuration section <c>DataProtection</c>,
/// beside the runtime's <c>ApplicationName</c> and <c>KeyLifetime</c>). Off by default: the ring's keys are then stored
/// as Data Protection writes them, guarded only by who may read the state store.
/// </summary>
public sealed class KeyVaultKeyRingOptions : IValidatableObject
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// The key's identifier, e.g. <c>https://myvault.vault.azure.net/keys/dataprotection</c> (versionless: new keys are
    /// wrapped with its current version, and each stored key names the version that wrapped it, so rotating the Key
    /// Vault key never strands older ones). An RSA key allowing <c>wrapKey</c> and <c>unwrapKey</c>; the app's identity
    /// needs the role <em>Key Vault Crypto User</em> on it. Default none (off).
    /// </summary>
    public Uri? KeyVaultKeyId { get; set; }

    /// <summary>The token's scope. Default <c>https://vault.azure.net/.default</c> (Azure's public cloud).</summary>
    [Required]
    [MinLength(1)]
    public string KeyVaultScope { get; set; } = "https://vault.azure.net/.default";

    /// <summary>
    /// The client id of the user-assigned managed identity to ask for tokens; default none (the default credential
    /// chain: a system-assigned identity, <c>AZURE_CLIENT_ID</c>, a developer's Azure CLI sign-in).
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>True when a key is configured.</summary>
    public bool Enabled => KeyVaultKeyId is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyVaultKeyId is not { } key)
        {
            yield break;
        }
        // A bearer token goes to this address: https only (plain http only to this machine, for a stand-in vault).
        var loopback = key.IsAbsoluteUri && (key.IsLoopback || (IPAddress.TryParse(key.Host, out var ip) && IPAddress.IsLoopback(ip)));
        if (!key.IsAbsoluteUri || !(key.Scheme == Uri.UriSchemeHttps || (key.Scheme == Uri.UriSchemeHttp && loopback))
            || !string.IsNullOrEmpty(key.Query) || !string.IsNullOrEmpty(key.Fragment) || KeyPath(key) is null)
        {
            yield return new ValidationResult(
                "DataProtection:KeyVaultKeyId must be a Key Vault key identifier such as https://myvault.vault.azure.net/keys/dataprotection (optionally with its version), without a query.",
                [nameof(KeyVaultKeyId)]);
        }
    }

    /// <summary>The key's name and version (null when versionless) from its identifier; null when it is not one.</summary>
    internal static (string Name, string? Version)? KeyPath(Uri key)
    {
        var segments = key.AbsolutePath.Trim('/').Split('/');
        return segments switch
        {
            ["keys", var name] when name.Length > 0 => (name, null),
            ["keys", var name, var version] when name.Length > 0 && version.Length > 0 => (name, version),
            _ => null,
        };
    }
}
