using System.ComponentModel.DataAnnotations;

namespace AriaBot.Handoff;

/// <summary>How the conversation reaches a person.</summary>
public enum HandoffMode
{
    /// <summary>The bot is the hub: agents take conversations in its own console at <c>/agent</c>.</summary>
    Internal,

    /// <summary>
    /// An outside hub (Omnichannel, a LivePerson-style router) owns the agents: the bot sends <c>handoff.initiate</c> to
    /// the channel and takes <c>handoff.status</c> only from the hub's authenticated endpoint.
    /// </summary>
    External,
}

/// <summary>An agent who signs in to the console with a password (configuration <c>Handoff:Agents</c>).</summary>
public sealed class ConfiguredAgent
{
    /// <summary>The sign-in name; never shown to customers.</summary>
    [Required]
    public string Login { get; set; } = "";

    /// <summary>What the customer is told ("Dana from support"); never the e-mail.</summary>
    [Required]
    public string DisplayName { get; set; } = "";

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> output (V3: PBKDF2); the password itself is never configured.</summary>
    [Required]
    public string PasswordHash { get; set; } = "";

    /// <summary>The roles the agent holds; empty means just <see cref="HandoffOptions.AgentRole"/>.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>Human handoff and the agents' console (configuration section <c>Handoff</c>).</summary>
public sealed class HandoffOptions : IValidatableObject
{
    public const string SectionName = "Handoff";

    /// <summary>Default false: "talk to a person" then says how to reach support (<c>SelfService:Escalation</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>Default <see cref="HandoffMode.Internal"/>.</summary>
    public HandoffMode Mode { get; set; } = HandoffMode.Internal;

    /// <summary>The agents who may sign in with a password. With none, internal mode falls back to the support contact.</summary>
    public List<ConfiguredAgent> Agents { get; set; } = [];

    /// <summary>Agents who sign in through the host's OpenID Connect provider (beside or instead of <see cref="Agents"/>). Default off.</summary>
    public AgentOpenIdConnectSettings OpenIdConnect { get; set; } = new();

    /// <summary>The role claim (type <c>role</c>) every console call requires, whoever signed the user in. Default <c>handoff-agent</c>.</summary>
    [Required]
    public string AgentRole { get; set; } = "handoff-agent";

    /// <summary>Default 5 minutes: after this long with no agent the customer may keep waiting or leave a message for a call-back.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan WaitLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Default 30 minutes of inactivity ends an agent's console session (the cookie slides while in use).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Default 5 wrong passwords in a row lock the login for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Default 20 login attempts per client address per 5 minutes, counted in the state store (all instances).</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerAddress { get; set; } = 20;

    /// <summary>Default 5 minutes; the window of <see cref="LoginAttemptsPerAddress"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LoginAttemptWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Words that, alone or inside a message, hand the conversation to a person (e.g. "useless", "inútil"). Default none.</summary>
    public List<string> FrustrationWords { get; set; } = [];

    /// <summary>Default 2 seconds: how often the console's live queue looks at the state store (shared by all instances).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Default 90 days: how long handoff records (the history) are kept.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>External mode: the bearer secret the hub presents to <c>POST /handoff/hub/status</c> (at least 32 characters).</summary>
    public string? HubSecret { get; set; }

    /// <summary>True when a live handoff can be offered at all (otherwise the support-contact fallback answers).</summary>
    public bool IsLive => Enabled && (Mode == HandoffMode.External || Agents.Count > 0 || OpenIdConnect.IsConfigured);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && Mode == HandoffMode.External && (HubSecret is null || HubSecret.Length < 32))
        {
            yield return new ValidationResult("Handoff:HubSecret must be at least 32 characters in External mode.", [nameof(HubSecret)]);
        }
        foreach (var problem in ValidateOpenIdConnect(OpenIdConnect))
        {
            yield return new ValidationResult(problem, [nameof(OpenIdConnect)]);
        }
        var logins = Agents.GroupBy(agent => agent.Login, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (logins.Count > 0)
        {
            yield return new ValidationResult($"Handoff:Agents has the same login more than once: {string.Join(", ", logins)}.", [nameof(Agents)]);
        }
        foreach (var agent in Agents.Where(agent => string.IsNullOrWhiteSpace(agent.Login) || string.IsNullOrWhiteSpace(agent.DisplayName) || string.IsNullOrWhiteSpace(agent.PasswordHash)))
        {
            yield return new ValidationResult($"Handoff:Agents entry '{agent.Login}' needs Login, DisplayName and PasswordHash.", [nameof(Agents)]);
        }
    }

    private static IEnumerable<string> ValidateOpenIdConnect(AgentOpenIdConnectSettings oidc)
    {
        var any = !string.IsNullOrWhiteSpace(oidc.Authority) || !string.IsNullOrWhiteSpace(oidc.ClientId) || !string.IsNullOrWhiteSpace(oidc.ClientSecret);
        if (!any)
        {
            yield break;
        }
        if (!oidc.IsConfigured || string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            yield return "Handoff:OpenIdConnect needs Authority, ClientId and ClientSecret together.";
        }
        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && !oidc.RequireHttpsMetadata)))
        {
            yield return "Handoff:OpenIdConnect:Authority must be an absolute https URL.";
        }
        if (string.IsNullOrWhiteSpace(oidc.RoleClaim) || string.IsNullOrWhiteSpace(oidc.NameClaim))
        {
            yield return "Handoff:OpenIdConnect:RoleClaim and NameClaim must not be empty.";
        }
    }
}
