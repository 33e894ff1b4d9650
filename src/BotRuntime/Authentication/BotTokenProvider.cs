using BotRuntime.Connector;
using BotRuntime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace BotRuntime.Authentication;

/// <summary>An access token and how long it is valid from the moment it was received.</summary>
public sealed record BotAccessToken(string Value, TimeSpan Lifetime)
{
    // A token is a secret: keep it out of ToString(), which loggers and debuggers call.
    public override string ToString() => $"BotAccessToken(lifetime {Lifetime})";
}

/// <summary>Gets a fresh token for the bot's outbound Bot Connector calls from the identity provider (no caching).</summary>
public interface IBotTokenSource
{
    Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>The bot's token for Bot Connector calls, cached until near expiry.</summary>
public interface IBotTokenProvider
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Caches the bot's token on the injected <see cref="TimeProvider"/> and renews it
/// <see cref="BotConnectorOptions.TokenRenewBefore"/> before it expires; concurrent callers share one request.
/// </summary>
public sealed partial class CachingBotTokenProvider(IBotTokenSource source, TimeProvider timeProvider, IOptionsMonitor<BotConnectorOptions> options, ILogger<CachingBotTokenProvider> logger) : IBotTokenProvider
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached;

    private sealed record Cached(string Value, DateTimeOffset RenewAt);

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && timeProvider.GetUtcNow() < hit.RenewAt)
        {
            return hit.Value;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && timeProvider.GetUtcNow() < again.RenewAt)
            {
                return again.Value;
            }
            var received = timeProvider.GetUtcNow();
            var token = await source.AcquireAsync(cancellationToken).ConfigureAwait(false);
            // Renew before expiry, but never cache a token so short-lived that "renew before" is already past.
            var renewBefore = options.CurrentValue.TokenRenewBefore;
            var usable = token.Lifetime > renewBefore ? token.Lifetime - renewBefore : TimeSpan.Zero;
            _cached = new Cached(token.Value, received + usable);
            LogAcquired(logger, token.Lifetime);
            return token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Acquired the bot's Bot Connector token, valid for {Lifetime}")]
    private static partial void LogAcquired(ILogger logger, TimeSpan lifetime);
}

/// <summary>
/// Gets the bot's token with MSAL: client credentials (MultiTenant: the cloud's Bot Framework tenant, SingleTenant:
/// the bot's own tenant) or a user-assigned managed identity. MSAL's HTTP goes through the named client
/// <see cref="HttpClientName"/>, so the host (and tests) control its handlers.
/// </summary>
public sealed class MsalBotTokenSource : IBotTokenSource
{
    /// <summary>The named HttpClient that carries token requests to Azure AD or the managed-identity endpoint.</summary>
    public const string HttpClientName = "BotTokenClient";

    private readonly Lazy<Func<CancellationToken, Task<AuthenticationResult>>> _acquire;

    public MsalBotTokenSource(IOptions<BotCredentialsOptions> credentials, IOptions<BotCloudOptions> cloud, IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(cloud);
        var msalHttp = new MsalHttpClientFactory(httpClientFactory);
        // Built on first use: a bot without an app id never needs (and could not build) an MSAL application.
        _acquire = new(() => Build(credentials.Value, cloud.Value, msalHttp));
    }

    public async Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var result = await _acquire.Value(cancellationToken).ConfigureAwait(false);
        // MSAL stamps ExpiresOn with the wall clock; turning it into a lifetime with that same clock lets the
        // cache age it on the injected TimeProvider.
        return new BotAccessToken(result.AccessToken, result.ExpiresOn - TimeProvider.System.GetUtcNow());
    }

    private static Func<CancellationToken, Task<AuthenticationResult>> Build(BotCredentialsOptions credentials, BotCloudOptions cloud, IMsalHttpClientFactory msalHttp)
    {
        var appId = credentials.MicrosoftAppId?.Trim();
        if (string.IsNullOrEmpty(appId))
        {
            throw new InvalidOperationException("The bot has no MicrosoftAppId, so it has no token to send.");
        }
        // Our cache decides when a token is due; MSAL's own cache (on the wall clock) must not hand back the old one.
        switch (credentials.AppType())
        {
            case BotAppType.UserAssignedMSI:
                var managedIdentity = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(appId))
                    .WithHttpClientFactory(msalHttp)
                    .Build();
                var resource = cloud.ConnectorScope.EndsWith("/.default", StringComparison.Ordinal) ? cloud.ConnectorScope[..^"/.default".Length] : cloud.ConnectorScope;
                return cancellationToken => managedIdentity.AcquireTokenForManagedIdentity(resource).WithForceRefresh(true).ExecuteAsync(cancellationToken);

            case BotAppType.MultiTenant or BotAppType.SingleTenant:
                var tenant = credentials.AppType() == BotAppType.SingleTenant ? credentials.MicrosoftAppTenantId!.Trim() : cloud.ChannelAuthTenant;
                var confidential = ConfidentialClientApplicationBuilder.Create(appId)
                    .WithClientSecret(credentials.MicrosoftAppPassword)
                    .WithAuthority(cloud.AuthorityFor(tenant), cloud.ValidateAuthority)
                    .WithInstanceDiscovery(cloud.ValidateAuthority)
                    .WithHttpClientFactory(msalHttp)
                    .Build();
                string[] scopes = [cloud.ConnectorScope];
                return cancellationToken => confidential.AcquireTokenForClient(scopes).WithForceRefresh(true).ExecuteAsync(cancellationToken);

            default:
                throw new InvalidOperationException($"MicrosoftAppType '{credentials.MicrosoftAppType}' is unknown.");
        }
    }

    /// <summary>Hands MSAL clients from <see cref="IHttpClientFactory"/>, which pools handlers and honours DNS changes.</summary>
    private sealed class MsalHttpClientFactory(IHttpClientFactory httpClientFactory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => httpClientFactory.CreateClient(HttpClientName);
    }
}
