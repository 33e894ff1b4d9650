using Aria.Client;
using Azure.Identity;
using BotRuntime.Hosting;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AriaBot.ScaleOut;

public static class ScaleOutServices
{
    /// <summary>
    /// The assistant's wording of the runtime's scale-out notices; the Key Vault protection of the shared Data
    /// Protection key ring (when <c>DataProtection:KeyVaultKeyId</c> is set); the refusal of a plain-http Aria outside
    /// Development and loopback.
    /// </summary>
    public static IServiceCollection AddScaleOut(this IServiceCollection services)
    {
        services.AddSingleton<IBusyConversationText, BusyConversationText>();
        services.AddSingleton<IValidateOptions<AriaOptions>, AriaTransportGuard>();

        services.AddOptions<KeyVaultKeyRingOptions>().BindConfiguration(KeyVaultKeyRingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(KeyVaultKeyClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        // Made only when a key is configured (the first wrap or unwrap); tests put a stand-in credential in its place.
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<KeyVaultKeyRingOptions>>().Value;
            return new KeyVaultCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ManagedIdentityClientId }));
        });
        services.AddSingleton<KeyVaultKeyClient>();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<KeyVaultKeyRingOptions>, IServiceProvider>((keys, vault, sp) =>
        {
            if (vault.Value.Enabled)
            {
                keys.XmlEncryptor = new KeyVaultXmlEncryptor(sp.GetRequiredService<KeyVaultKeyClient>());
            }
        });
        services.AddHealthChecks().AddCheck<KeyVaultKeyRingCheck>(KeyVaultKeyRingCheck.Name, HealthStatus.Unhealthy, ["ready"]);
        return services;
    }
}
