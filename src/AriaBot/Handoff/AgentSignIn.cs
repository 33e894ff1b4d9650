using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>What a sign-in attempt came to (the console says no more than this to the browser).</summary>
public enum AgentSignInResult
{
    SignedIn,
    WrongCredentials,
    LockedOut,
    TooManyAttempts,
}

/// <summary>An agent's session that was just ended: who it was, and the OpenID Connect id token it began with (if any).</summary>
public sealed record EndedAgentSession(string AgentId, string? IdToken);

/// <summary>
/// Agents' sign-in with a configured password: checked with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (an unknown login costs the same hash work, so timing does not tell which logins exist), limited per client
/// address, and locked per login after <see cref="HandoffOptions.MaxFailedLogins"/> failures in a row. Both counters
/// live in the state store so that they hold across instances. A signed-in agent's cookie names a server-side
/// session record, so signing out ends every copy of the cookie.
/// Keys: <c>handoff/login/address/{hash}</c>, <c>handoff/login/user/{hash}</c>, <c>handoff/agent-sessions/{id}</c>.
/// </summary>
public sealed partial class AgentSignIn(IStorage storage, IOptionsMonitor<HandoffOptions> options, TimeProvider timeProvider, ILogger<AgentSignIn> logger)
{
    public const string Scheme = "AriaBotAgent";
    public const string CookieName = "ariabot-agent";
    public const string Policy = "HandoffAgent";
    /// <summary>The role claim type, for configured agents and the OpenID Connect provider alike.</summary>
    public const string RoleClaim = "role";
    public const string DisplayNameClaim = "handoff:display_name";
    public const string SessionClaim = "handoff:session";

    /// <summary>A session record lives at most this long, however active the agent (the cookie also slides out after <see cref="HandoffOptions.SessionTimeout"/>).</summary>
    public static readonly TimeSpan AbsoluteSessionLifetime = TimeSpan.FromHours(12);

    private const string SessionPrefix = "handoff/agent-sessions/";
    private const int MaxConflictRetries = 16;
    private static readonly PasswordHasher<ConfiguredAgent> Hasher = new();
    // Verified when the login is unknown, so that a wrong login costs what a wrong password costs.
    private static readonly string DecoyHash = Hasher.HashPassword(new ConfiguredAgent(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private sealed class Counter
    {
        public int Count { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
    }

    /// <summary>
    /// <c>handoff/agent-sessions/{id}</c>. <see cref="IdToken"/> only for an agent who came through OpenID Connect: the
    /// provider's id token, kept here (never in the cookie, never logged) only to be sent back as <c>id_token_hint</c> when
    /// the agent signs out; it dies with the record. <see cref="Links"/>: the keys of the provider-session index entries
    /// that point at this session (by <c>sid</c>, by <c>sub</c>), deleted with it. Earlier records have neither.
    /// </summary>
    private sealed record AgentSession(string AgentId, DateTimeOffset CreatedAt, string? IdToken = null, IReadOnlyList<string>? Links = null);

    public async Task<AgentSignInResult> SignInAsync(HttpContext context, string? login, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var addressKey = "handoff/login/address/" + Hash(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!await TakeAsync(addressKey, settings.LoginAttemptsPerAddress, settings.LoginAttemptWindow, cancellationToken).ConfigureAwait(false))
        {
            LogRateLimited();
            return AgentSignInResult.TooManyAttempts;
        }
        login = (login ?? "").Trim();
        var userKey = "handoff/login/user/" + Hash(login.ToUpperInvariant());
        var lockout = await storage.ReadAsync<Counter>(userKey, cancellationToken).ConfigureAwait(false);
        if (lockout?.Value.LockedUntil > now)
        {
            return AgentSignInResult.LockedOut;
        }
        var agent = settings.Agents.FirstOrDefault(candidate => string.Equals(candidate.Login, login, StringComparison.OrdinalIgnoreCase));
        var verified = Hasher.VerifyHashedPassword(agent ?? new ConfiguredAgent(), agent?.PasswordHash ?? DecoyHash, password ?? "");
        if (agent is null || verified == PasswordVerificationResult.Failed)
        {
            var locked = await CountFailureAsync(userKey, settings, cancellationToken).ConfigureAwait(false);
            LogFailed(locked);
            return locked ? AgentSignInResult.LockedOut : AgentSignInResult.WrongCredentials;
        }
        await storage.DeleteAsync(userKey, cancellationToken).ConfigureAwait(false);
        var sessionId = await StartSessionAsync("cfg:" + agent.Login, idToken: null, provider: null, cancellationToken).ConfigureAwait(false);
        var roles = agent.Roles.Count > 0 ? agent.Roles : [settings.AgentRole];
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "cfg:" + agent.Login),
                new Claim(DisplayNameClaim, agent.DisplayName),
                new Claim(SessionClaim, sessionId),
                .. roles.Select(role => new Claim(RoleClaim, role)),
            ],
            Scheme, ClaimTypes.NameIdentifier, RoleClaim);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        LogSignedIn(agent.DisplayName);
        return AgentSignInResult.SignedIn;
    }

    /// <summary>
    /// A new server-side session record for an agent who just proved who they are (password or OpenID Connect); returns
    /// its id for the cookie. A session begun through the provider (<paramref name="provider"/>) is indexed by its
    /// <c>sid</c> and <c>sub</c> in the same write, so that the provider's logout can find it.
    /// </summary>
    internal async Task<string> StartSessionAsync(string agentId, string? idToken, ProviderSession? provider, CancellationToken cancellationToken)
    {
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = timeProvider.GetUtcNow();
        // The index entries expire with the record: neither outlives the other, even when nobody signs out.
        var expires = now + AbsoluteSessionLifetime;
        var links = provider is null ? [] : ProviderLinks(provider, sessionId);
        var changes = new Dictionary<string, StoreWrite>
        {
            [SessionPrefix + sessionId] = new(JsonSerializer.SerializeToElement(new AgentSession(agentId, now, idToken, links.Count > 0 ? links : null), StateJson.Options), null, expires),
        };
        foreach (var link in links)
        {
            changes[link] = new(JsonSerializer.SerializeToElement(new ProviderSessionLink(sessionId), StateJson.Options), null, expires);
        }
        await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        return sessionId;
    }

    /// <summary>Ends the session record and the cookie; returns who was signed in (and their provider's id token), null when no session was open.</summary>
    public async Task<EndedAgentSession?> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        EndedAgentSession? ended = null;
        if (context.User.FindFirstValue(SessionClaim) is { } sessionId)
        {
            var key = SessionPrefix + sessionId;
            IReadOnlyList<string> links = [];
            if (await storage.ReadAsync<AgentSession>(key, cancellationToken).ConfigureAwait(false) is { } record)
            {
                ended = new EndedAgentSession(record.Value.AgentId, record.Value.IdToken);
                links = record.Value.Links ?? [];
            }
            // The provider-session index entries go with the session, not when it would have expired.
            await storage.DeleteAsync([key, .. links], cancellationToken).ConfigureAwait(false);
        }
        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        return ended;
    }

    /// <summary>The cookie's principal is good only while its session record exists (signed out elsewhere, expired, or another store: refused).</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sessionId = context.Principal?.FindFirstValue(SessionClaim);
        if (sessionId is null || await storage.ReadAsync<AgentSession>(SessionPrefix + sessionId, context.HttpContext.RequestAborted).ConfigureAwait(false) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }

    /// <summary>The agent behind a console request (after the policy passed).</summary>
    public static AgentIdentity? AgentOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
        var name = user.FindFirstValue(DisplayNameClaim) ?? user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.GivenName);
        return id is null ? null : new AgentIdentity(id, string.IsNullOrWhiteSpace(name) ? "Support" : name);
    }

    internal static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.Path = "/agent";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Cookie.IsEssential = true;
        cookie.SlidingExpiration = true;
        // An API answers with a status, not a redirect to a login page.
        cookie.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        cookie.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
        cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<AgentSignIn>().ValidateAsync(context);
    }

    private async Task<bool> CountFailureAsync(string key, HandoffOptions settings, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
            var counter = stored?.Value ?? new Counter();
            counter.Count++;
            var now = timeProvider.GetUtcNow();
            var locked = counter.Count >= settings.MaxFailedLogins;
            if (locked)
            {
                counter.Count = 0;
                counter.LockedUntil = now + settings.LockoutDuration;
            }
            try
            {
                await storage.WriteAsync(key, counter, stored?.ETag, now + settings.LockoutDuration + settings.LockoutDuration, cancellationToken).ConfigureAwait(false);
                return locked;
            }
            catch (StorageConflictException)
            {
            }
        }
        return true;
    }

    private async Task<bool> TakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow();
            var counter = stored?.Value is { LockedUntil: { } ends } open && ends > now ? open : new Counter { LockedUntil = now + window };
            if (counter.Count >= limit)
            {
                return false;
            }
            counter.Count++;
            try
            {
                await storage.WriteAsync(key, counter, stored?.ETag, counter.LockedUntil, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException)
            {
            }
        }
        return false;
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];


    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {DisplayName} signed in to the console")]
    private partial void LogSignedIn(string displayName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console sign-in failed (locked now: {Locked})")]
    private partial void LogFailed(bool locked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-ins from one address hit the limit")]
    private partial void LogRateLimited();
}
