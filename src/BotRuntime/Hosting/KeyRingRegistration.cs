using BotRuntime.State;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>Data Protection over the state store, with a fixed application name, so instances share one key ring.</summary>
public static class KeyRingRegistration
{
    public static IServiceCollection AddStateStoreKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The application name is read here, at registration, because Data Protection takes it as a discriminator once.
        var applicationName = configuration.GetSection(KeyRingOptions.SectionName)[nameof(KeyRingOptions.ApplicationName)];
        services.AddDataProtection().SetApplicationName(string.IsNullOrWhiteSpace(applicationName) ? new KeyRingOptions().ApplicationName : applicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IStorage, IOptions<KeyRingOptions>>((keys, storage, ring) =>
        {
            keys.XmlRepository = new StorageXmlRepository(storage);
            keys.NewKeyLifetime = ring.Value.KeyLifetime;
        });
        return services;
    }
}
