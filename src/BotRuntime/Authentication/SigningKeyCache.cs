using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BotRuntime.Authentication;

/// <summary>The signing keys could not be fetched and none are cached: no token can be checked.</summary>
public sealed class SigningKeysUnavailableException : Exception
{
    public SigningKeysUnavailableException() { }
    public SigningKeysUnavailableException(string message) : base(message) { }
    public SigningKeysUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The signing keys published by one OpenID metadata document, cached and refreshed on our own
/// <see cref="TimeProvider"/>. IdentityModel's ConfigurationManager is not used: it reads the wall clock and, in
/// 8.x, refreshes in the background, so "fetch again once when a kid is unknown" would not be deterministic.
/// </summary>
public sealed partial class SigningKeyCache
{
    /// <summary>The named HttpClient that fetches OpenID metadata and key sets.</summary>
    public const string HttpClientName = "BotAuthMetadata";

    private readonly Uri _metadataUrl;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<BotAuthenticationOptions> _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;
    // UTC ticks of the last refresh an unknown kid forced; 0 = never. A long so the lock-free pre-check cannot tear.
    private long _lastForcedRefreshTicks;

    private sealed record Snapshot(IReadOnlyDictionary<string, JsonWebKey> Keys, DateTimeOffset RefreshAt);

    public SigningKeyCache(Uri metadataUrl, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, IOptionsMonitor<BotAuthenticationOptions> options, ILogger logger)
    {
        _metadataUrl = metadataUrl;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// The key with this id, or null when the metadata does not publish it even after one refresh. Throws
    /// <see cref="SigningKeysUnavailableException"/> when no keys could ever be fetched.
    /// </summary>
    public async Task<JsonWebKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        var snapshot = _snapshot;
        if (snapshot is null || _timeProvider.GetUtcNow() >= snapshot.RefreshAt)
        {
            snapshot = await RefreshAsync(snapshot, forced: false, cancellationToken).ConfigureAwait(false);
        }
        if (snapshot.Keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        // Keys roll: a kid we have not seen may be new. Fetch once more, but only once per interval, so made-up
        // kids cannot make us hammer the metadata endpoint.
        if (ForcedRefreshTooSoon(settings))
        {
            return null;
        }
        snapshot = await RefreshAsync(snapshot, forced: true, cancellationToken).ConfigureAwait(false);
        return snapshot.Keys.GetValueOrDefault(keyId);
    }

    private async Task<Snapshot> RefreshAsync(Snapshot? seen, bool forced, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Someone else refreshed while we waited: use theirs.
            if (_snapshot is { } current && !ReferenceEquals(current, seen))
            {
                return current;
            }
            if (forced)
            {
                if (ForcedRefreshTooSoon(_options.CurrentValue))
                {
                    return seen ?? throw new SigningKeysUnavailableException("No signing keys are cached.");
                }
                Volatile.Write(ref _lastForcedRefreshTicks, _timeProvider.GetUtcNow().UtcTicks);
            }
            try
            {
                var keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
                var fresh = new Snapshot(keys, _timeProvider.GetUtcNow() + _options.CurrentValue.SigningKeyRefreshInterval);
                _snapshot = fresh;
                LogFetched(_logger, keys.Count, _metadataUrl, forced);
                return fresh;
            }
#pragma warning disable CA1031 // Whatever the retrieval throws (network, HTTP status, bad JSON), the old keys or a clear failure follow.
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                if (seen is not null)
                {
                    // Keep answering with the keys we have: a metadata outage must not lock out every channel. Try
                    // again after the minimum interval, not on every request (each try may wait for a time-out).
                    LogFetchFailedKeepingOld(_logger, _metadataUrl, exception);
                    var kept = seen with { RefreshAt = _timeProvider.GetUtcNow() + _options.CurrentValue.SigningKeyMinRefreshInterval };
                    _snapshot = kept;
                    return kept;
                }
                LogFetchFailed(_logger, _metadataUrl, exception);
                throw new SigningKeysUnavailableException($"The signing keys at {_metadataUrl} could not be fetched.", exception);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool ForcedRefreshTooSoon(BotAuthenticationOptions settings)
    {
        var last = Volatile.Read(ref _lastForcedRefreshTicks);
        return last != 0 && _timeProvider.GetUtcNow().UtcTicks - last < settings.SigningKeyMinRefreshInterval.Ticks;
    }

    private async Task<IReadOnlyDictionary<string, JsonWebKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var httpClient = _httpClientFactory.CreateClient(HttpClientName);
        // http is refused except to this machine (local stand-ins); jwks_uri is held to the same rule.
        var retriever = new HttpDocumentRetriever(httpClient) { RequireHttps = !EndpointRules.IsLoopback(_metadataUrl) };
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_metadataUrl.AbsoluteUri, retriever, cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
        foreach (var key in configuration.JsonWebKeySet?.Keys ?? [])
        {
            if (!string.IsNullOrEmpty(key.Kid) && key.Kty == JsonWebAlgorithmsKeyTypes.RSA)
            {
                keys.TryAdd(key.Kid, key);
            }
        }
        if (keys.Count == 0)
        {
            throw new InvalidOperationException("The metadata's key set holds no RSA keys with a kid.");
        }
        return keys;
    }

    /// <summary>
    /// The channel ids a key is endorsed for, or null when the key carries no <c>endorsements</c> at all
    /// (Azure AD keys, which sign Emulator tokens).
    /// </summary>
    public static IReadOnlyList<string>? Endorsements(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.AdditionalData.TryGetValue("endorsements", out var value) || value is null)
        {
            return null;
        }
        return value switch
        {
            string single => [single],
            JsonElement { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            IEnumerable items => [.. items.Cast<object?>().Select(item => item switch { JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(), string s => s, _ => null }).OfType<string>()],
            _ => [],
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing keys from {MetadataUrl} (forced by an unknown kid: {Forced})")]
    private static partial void LogFetched(ILogger logger, int count, Uri metadataUrl, bool forced);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the signing keys from {MetadataUrl}; still using the keys fetched earlier")]
    private static partial void LogFetchFailedKeepingOld(ILogger logger, Uri metadataUrl, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not fetch the signing keys from {MetadataUrl}; no token can be validated until it answers")]
    private static partial void LogFetchFailed(ILogger logger, Uri metadataUrl, Exception exception);
}

/// <summary>One <see cref="SigningKeyCache"/> per metadata URL, for the life of the process.</summary>
public sealed class SigningKeyCaches(IHttpClientFactory httpClientFactory, TimeProvider timeProvider, IOptionsMonitor<BotAuthenticationOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, SigningKeyCache> _caches = new(StringComparer.Ordinal);

    public SigningKeyCache For(string metadataUrl) =>
        _caches.GetOrAdd(metadataUrl, url => new SigningKeyCache(new Uri(url, UriKind.Absolute), httpClientFactory, timeProvider, options, loggerFactory.CreateLogger<SigningKeyCache>()));
}
