using Aria.Client;
using BotRuntime.DirectLine;
using Microsoft.Extensions.Options;

namespace AriaBot.Session;

public static class SessionServiceCollectionExtensions
{
    /// <summary>
    /// The session binding, the per-turn session check with its keep-alive, the Aria call ledger, the portal binding
    /// sink and the portal's chat tokens. Call after <c>AddAriaClient</c> (the ledger is added to its HttpClient) and
    /// after <c>AddDirectLine</c> (the binding sink replaces Direct Line's refusing default). Sign-in, which binds
    /// through these, is registered by <c>AddSignIn</c>.
    /// </summary>
    public static IServiceCollection AddAriaSession(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SessionBindingOptions>().Bind(configuration.GetSection(SessionBindingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionBindingOptions>, SessionBindingOptionsValidator>();
        services.AddOptions<AriaSessionOptions>().BindConfiguration(AriaSessionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ISessionBindings, StorageSessionBindings>();
        // The binding comes with the lease on PostgreSQL (one round trip fewer per turn); harmless on other stores.
        services.AddSingleton<BotRuntime.State.ITurnReadAheadKeys, SessionBindingReadAhead>();
        services.AddSingleton<AccountSession>();
        services.AddSingleton<IAccountSession>(sp => sp.GetRequiredService<AccountSession>());
        services.AddSingleton<BotRuntime.Builder.IMiddleware, AriaCallLedgerMiddleware>();
        // After the ledger: every message of a signed-in customer is activity (keep-alive when due, sliding binding expiry).
        services.AddSingleton<BotRuntime.Builder.IMiddleware, CustomerActivityMiddleware>();
        services.AddTransient<AriaCallLedgerHandler>();
        services.AddHttpClient(AriaClientDefaults.HttpClientName).AddHttpMessageHandler<AriaCallLedgerHandler>();

        services.AddSingleton<ISessionBindingSink, AriaSessionBindingSink>();
        services.AddSingleton<IPortalChatTokens, PortalChatTokens>();
        return services;
    }
}
