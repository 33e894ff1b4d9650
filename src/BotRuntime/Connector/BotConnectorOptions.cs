using System.ComponentModel.DataAnnotations;
using BotRuntime.Authentication;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>Outbound Bot Connector calls: where the bot's token may go, its cache and retries (configuration section <c>Bot</c>).</summary>
public sealed class BotConnectorOptions
{
    public const string SectionName = "Bot";

    /// <summary>
    /// Origins (scheme://host[:port]) the bot's token may always be sent to, besides serviceUrls that arrived in
    /// an authenticated request for the conversation. Default none, on purpose: trust is authenticated or explicitly
    /// configured, never assumed. Proactive messages to conversations that have been silent longer than
    /// <see cref="ServiceUrlTrustLifetime"/> need their channel's origin here.
    /// </summary>
    public List<string> TrustedServiceUrls { get; set; } = [];

    /// <summary>
    /// How long a serviceUrl authenticated for a conversation stays trusted after the conversation's last
    /// authenticated activity. Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ServiceUrlTrustLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A cached bot token is renewed when less than this remains of its lifetime. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan TokenRenewBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a Bot Connector call after 429, 5xx, a network error or an attempt timeout. Default 3.</summary>
    [Range(0, 10)]
    public int ConnectorMaxRetries { get; set; } = 3;

    /// <summary>First retry delay when the channel names none (exponential with jitter after it). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConnectorRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest <c>Retry-After</c> the bot waits for. A channel asking for a longer pause gets no retry (the call
    /// fails) rather than an early one that would only be throttled again. Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ConnectorMaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one attempt. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ConnectorAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of a call with all its retries. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ConnectorTotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Refuses allow-list entries that are not absolute https origins (http only on loopback).</summary>
internal sealed class BotConnectorOptionsValidator : IValidateOptions<BotConnectorOptions>
{
    public ValidateOptionsResult Validate(string? name, BotConnectorOptions options)
    {
        var bad = options.TrustedServiceUrls
            .Where(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !EndpointRules.IsSecureOrLoopback(uri))
            .ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Bot:TrustedServiceUrls entries must be absolute https URLs (http only on loopback): {string.Join(", ", bad)}.");
    }
}
