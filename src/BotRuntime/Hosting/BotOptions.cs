using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>How the bot's HTTP endpoints behave (configuration section <c>Bot</c>).</summary>
public sealed class BotOptions
{
    public const string SectionName = "Bot";

    /// <summary>
    /// Accept requests without an <c>Authorization</c> header outside Development. Default false. Only
    /// meaningful when <c>MicrosoftAppId</c> is empty: a bot with an app id always requires channel tokens.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest activity body accepted on <c>/api/messages</c>; larger gets 413. Default 256 KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    /// <summary>How long a turn may wait for the conversation's previous turn before getting 503. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan TurnQueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a processed activity id is remembered, so a redelivery in that window runs nothing. Default 30 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RedeliveryWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Only for delivery records written before process incarnations were recorded (an upgrade with turns in flight):
    /// such a turn still marked running after this long was cut off by a crash. Default 2 min. Newer records name
    /// their process and are settled as soon as its <see cref="InstanceLease"/> has run out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AbandonedTurnAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a process counts as alive after its last heartbeat (renewed three times per lease). A turn whose
    /// process stopped renewing is settled as interrupted — at start-up of the next process, or when its lease runs
    /// out — instead of being run again. Shorter settles a crashed turn sooner; it must stay well above a store
    /// hiccup. Default 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")]
    public TimeSpan InstanceLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Origins (scheme://host[:port]) an anonymous request may direct replies to, besides loopback. Default none.
    /// </summary>
    public List<string> AnonymousServiceUrls { get; set; } = [];
}

/// <summary>The Azure Bot Service identity of the bot, named as Azure users know it (root configuration keys).</summary>
public sealed class BotCredentialsOptions
{
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    /// <summary><c>MultiTenant</c> (default), <c>SingleTenant</c> or <c>UserAssignedMSI</c>.</summary>
    public string? MicrosoftAppType { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    public bool HasAppId => !string.IsNullOrWhiteSpace(MicrosoftAppId);
}

/// <summary>Refuses to start a bot that would accept anonymous traffic in production.</summary>
internal sealed class AnonymousPolicyValidator(IHostEnvironment environment, IOptions<BotCredentialsOptions> credentials) : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        if (credentials.Value.HasAppId || environment.IsDevelopment() || options.AllowAnonymous)
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            "MicrosoftAppId is not set. Without an app id the bot accepts anonymous requests, which is allowed only " +
            "in Development or with Bot:AllowAnonymous=true. Set MicrosoftAppId (and MicrosoftAppPassword) for Azure Bot Service.");
    }
}
