using System.Collections.Concurrent;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>
/// Which serviceUrls may receive the bot's token: the one that arrived in the latest authenticated request of
/// a conversation (kept in <see cref="IStorage"/> with an expiry, so it survives restarts and is shared by
/// instances on one store), or an origin on <c>Bot:TrustedServiceUrls</c>. A serviceUrl an unauthenticated
/// caller supplied is never in here, so the bot's token cannot be steered to an attacker.
/// </summary>
public sealed partial class ServiceUrlTrust(IStorage storage, IOptionsMonitor<BotConnectorOptions> options, TimeProvider timeProvider, ILogger<ServiceUrlTrust> logger)
{
    internal const string KeyPrefix = "trusted-serviceurls/";

    // A short cache spares a storage read per reply; another instance's newer record shows after at most this long
    // (and the older serviceUrl it replaces was authenticated too).
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    // Each authenticated activity extends the record's expiry, but writing it on every turn would double the writes.
    private static readonly TimeSpan RewriteAfter = TimeSpan.FromHours(1);
    private const int MaxCachedConversations = 10_000;

    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    private sealed record CacheEntry(string? ServiceUrl, DateTimeOffset CachedAt, DateTimeOffset? WrittenAt);

    /// <summary>What is stored per conversation.</summary>
    internal sealed class TrustRecord
    {
        public string ServiceUrl { get; set; } = "";
        public DateTimeOffset RecordedAt { get; set; }
    }

    /// <summary>
    /// Remembers the serviceUrl of an authenticated request for its conversation. Call it only after the
    /// request's token was validated; the latest authenticated serviceUrl wins (channels move conversations).
    /// </summary>
    public async Task RecordAsync(string channelId, string conversationId, string serviceUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        if (Normalize(serviceUrl) is not { } normalized)
        {
            return;
        }
        var key = Key(channelId, conversationId);
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.WrittenAt is { } written && now - written < RewriteAfter
            && string.Equals(cached.ServiceUrl, normalized, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var record = new TrustRecord { ServiceUrl = normalized, RecordedAt = now };
        await storage.WriteAsync(key, record, StoreWrite.AnyETag, now + options.CurrentValue.ServiceUrlTrustLifetime, cancellationToken).ConfigureAwait(false);
        Remember(key, new CacheEntry(normalized, now, now));
        if (cached?.ServiceUrl is { } previous && !string.Equals(previous, normalized, StringComparison.OrdinalIgnoreCase))
        {
            LogServiceUrlChanged(logger, previous, normalized);
        }
    }

    /// <summary>The normalised serviceUrl recorded for the conversation, or null.</summary>
    public async Task<string?> RecordedServiceUrlAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var key = Key(channelId, conversationId);
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now - cached.CachedAt < CacheLifetime)
        {
            return cached.ServiceUrl;
        }
        var stored = await storage.ReadAsync<TrustRecord>(key, cancellationToken).ConfigureAwait(false);
        var serviceUrl = stored?.Value.ServiceUrl;
        Remember(key, new CacheEntry(serviceUrl, now, cached?.ServiceUrl == serviceUrl ? cached?.WrittenAt : null));
        return serviceUrl;
    }

    /// <summary>True when the origin of <paramref name="uri"/> is on <c>Bot:TrustedServiceUrls</c>.</summary>
    public bool IsAllowListed(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }
        var origin = Origin(uri);
        return options.CurrentValue.TrustedServiceUrls.Exists(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri) && string.Equals(Origin(allowedUri), origin, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether a Bot Connector request to <paramref name="requestUri"/>, made for the given conversation, may carry
    /// the bot's token: the URI lies under the serviceUrl recorded for that conversation, or its origin is allow-listed.
    /// </summary>
    public async Task<bool> MayReceiveTokenAsync(string? channelId, string? conversationId, Uri requestUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        if (IsAllowListed(requestUri))
        {
            return true;
        }
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(conversationId) || Normalize(requestUri.AbsoluteUri) is not { } target)
        {
            return false;
        }
        var recorded = await RecordedServiceUrlAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        // Both end in '/', so "https://host/amer/" never matches "https://host/amer-evil/…".
        return recorded is not null && target.StartsWith(recorded, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="serviceUrl"/> is the one recorded for the conversation, or allow-listed.</summary>
    public async Task<bool> IsTrustedServiceUrlAsync(string channelId, string conversationId, Uri serviceUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        if (IsAllowListed(serviceUrl))
        {
            return true;
        }
        var recorded = await RecordedServiceUrlAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        return recorded is not null && string.Equals(recorded, Normalize(serviceUrl.AbsoluteUri), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <c>scheme://host[:port]/path/</c> with a trailing slash and without query, fragment or user info; null for
    /// anything that is not an absolute http(s) URL or that carries user info (a classic host-confusion trick).
    /// </summary>
    public static string? Normalize(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return $"{Origin(uri)}{path}";
    }

    private static string Origin(Uri uri) => $"{uri.Scheme}://{uri.Authority}".ToLowerInvariant();

    private static string Key(string channelId, string conversationId) =>
        $"{KeyPrefix}{Uri.EscapeDataString(channelId)}/{Uri.EscapeDataString(conversationId)}";

    private void Remember(string key, CacheEntry entry)
    {
        if (_cache.Count >= MaxCachedConversations)
        {
            // Crude but bounded: the cache only saves reads, and storage still holds every record.
            _cache.Clear();
        }
        _cache[key] = entry;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A conversation's authenticated serviceUrl changed from {Previous} to {Current}")]
    private static partial void LogServiceUrlChanged(ILogger logger, string previous, string current);
}
