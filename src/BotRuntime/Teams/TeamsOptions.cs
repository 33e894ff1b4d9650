namespace BotRuntime.Teams;

/// <summary>Microsoft Teams (configuration section <c>Teams</c>).</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>
    /// Azure AD tenant ids whose Teams users may use the bot. Empty (the default) allows every tenant, as Azure Bot
    /// Service does. When set, an activity from another tenant (or naming none) gets a polite refusal and no account
    /// access, and proactive messages to a Teams conversation of another tenant are not sent.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>True when <paramref name="tenantId"/> may use the bot.</summary>
    public bool IsTenantAllowed(string? tenantId) =>
        AllowedTenants.Count == 0
        || (!string.IsNullOrEmpty(tenantId) && AllowedTenants.Exists(allowed => string.Equals(allowed.Trim(), tenantId, StringComparison.OrdinalIgnoreCase)));
}
