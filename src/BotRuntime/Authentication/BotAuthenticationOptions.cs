using System.ComponentModel.DataAnnotations;

namespace BotRuntime.Authentication;

/// <summary>How inbound channel tokens are checked (configuration section <c>Bot</c>; cloud endpoints are in <see cref="BotCloudOptions"/>).</summary>
public sealed class BotAuthenticationOptions
{
    public const string SectionName = "Bot";

    /// <summary>
    /// How long fetched signing keys are used before the metadata is read again. Default 24 h (the SDK keeps
    /// them up to 5 days; Microsoft rolls keys with overlap, so a day is ample and picks up a roll early).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "5.00:00:00")]
    public TimeSpan SigningKeyRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A token with an unknown <c>kid</c> makes the keys be fetched again at once, but not more often than this,
    /// so a flood of made-up kids cannot turn the bot into a load generator for the metadata endpoint. Default 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SigningKeyMinRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock skew allowed on <c>nbf</c>/<c>exp</c>. Default 5 min, as the Bot Connector protocol specifies.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
