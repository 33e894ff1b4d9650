using System.ComponentModel.DataAnnotations;

namespace BotRuntime.Slack;

/// <summary>
/// Section <c>Slack</c>: the direct Slack ingress (<c>POST /api/slack/events</c>) and the Web API it replies through.
/// Without <see cref="SigningSecret"/> the ingress is off (the endpoint answers 404); Slack through Azure Bot Service
/// (<c>/api/messages</c>, <c>channelId: "slack"</c>) needs none of these settings.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The app's signing secret (Basic Information → App Credentials). Default none: the ingress is off.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot user OAuth token (<c>xoxb-…</c>) replies are posted with. Required when <see cref="SigningSecret"/> is set.</summary>
    public string? BotToken { get; set; }

    /// <summary>Slack's Web API; tests and local runs point it at a stand-in. Default <c>https://slack.com/api/</c>.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// The app id (<c>api_app_id</c>) events must carry. Default none: any app id signed with the secret is accepted
    /// (the signing secret already belongs to one app); set it to refuse events meant for another app.
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>The workspace (<c>team_id</c>) events must come from. Default none: any workspace the app is installed in.</summary>
    public string? TeamId { get; set; }

    /// <summary>How far a request's timestamp may be from our clock (Slack's own advice: 5 minutes). Default 00:05:00.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an <c>event_id</c> is remembered so a retry is dropped (Slack retries within about an hour). Default 1 day.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Largest request body accepted (Slack's events are a few KB). Default 256 KiB.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How many times one Web API call is tried when Slack answers 429. Default 3.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one gives up (the turn must not hang). Default 00:00:30.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrEmpty(SigningSecret);
}
