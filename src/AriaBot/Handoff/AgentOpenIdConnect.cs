using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// The host's OpenID Connect provider for agents (configuration <c>Handoff:OpenIdConnect</c>). Sits beside the
/// configured password agents: either or both may be set. Defaults are documented on each property.
/// </summary>
public sealed class AgentOpenIdConnectSettings
{
    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its discovery document is read from it. Empty (default): off.</summary>
    public string? Authority { get; set; }

    /// <summary>The console's client (application) id at the provider. Empty (default): off.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret for the code redemption (a confidential client); never logged. Required when on.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Default <c>openid profile</c>: the id token needs the subject, a display name and the roles, nothing more.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The id token claim that lists the user's roles. Default <c>roles</c> (Entra ID app roles).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The id token claim shown to customers as the agent's name. Default <c>name</c>; an e-mail-like value is never shown.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Default true: the provider's metadata only over https (false only for a local provider in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>What the console's button says. Default "Sign in with your organisation".</summary>
    public string ButtonText { get; set; } = "Sign in with your organisation";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Agents' sign-in through OpenID Connect (authorization code + PKCE, <c>form_post</c>). The handler signs into the
/// console's own cookie scheme (<see cref="AgentSignIn.Scheme"/>), so the cookie rules, session records, time-outs,
/// antiforgery and the <c>HandoffAgent</c> policy are the same as for password agents. On token validation a user
/// without <see cref="HandoffOptions.AgentRole"/> in <see cref="AgentOpenIdConnectSettings.RoleClaim"/> is refused;
/// otherwise a server-side session record is created and the cookie carries only its id, the subject, the display
/// name and the agent role (no token is kept). The scheme exists only when configured.
/// </summary>
public static partial class AgentOpenIdConnect
{
    public const string Scheme = "AriaBotAgentOidc";
    public const string CallbackPath = "/agent/signin-oidc";
    public const string LoginPath = "/oidc/login";
    /// <summary>Where a refused or failed sign-in lands: the console says so.</summary>
    public const string RefusedRedirect = "/agent/?signin=refused";
    /// <summary>Where the provider sends the browser back after ending its session (the post-logout redirect URI to register).</summary>
    public const string SignedOutCallbackPath = "/agent/signout-callback-oidc";
    /// <summary>Where the browser lands once signed out of both: the console says so. A constant: nothing in a request chooses it.</summary>
    public const string SignedOutRedirect = "/agent/?signedout=1";
    /// <summary>An agent who came through the provider is <c>oidc:{sub}</c>.</summary>
    internal const string AgentIdPrefix = "oidc:";
    private const string IdTokenHintItem = "AriaBot.Handoff.IdTokenHint";

    internal static void AddAgentOpenIdConnect(this IServiceCollection services)
    {
        // Added to the scheme list only when configured: an unconfigured remote scheme would fail every request.
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<HandoffOptions>>((authentication, handoff) =>
        {
            if (handoff.Value.OpenIdConnect.IsConfigured)
            {
                authentication.AddScheme<OpenIdConnectHandler>(Scheme, handoff.Value.OpenIdConnect.ButtonText);
            }
        });
        services.TryAddTransient<OpenIdConnectHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<HandoffOptions>>((oidc, handoff) => Configure(oidc, handoff.Value.OpenIdConnect));
        // Below Warning the handler logs the callback's message ("?code=…&state=…"): never written, whatever the host's level.
        services.AddLogging(logging => logging.AddFilter(typeof(OpenIdConnectHandler).Namespace, LogLevel.Warning));
    }

    /// <summary>
    /// <c>GET /agent/api/oidc/login</c>: a navigation from the console's button to the provider. A GET, because the
    /// page's <c>form-action 'self'</c> would stop a form whose answer redirects to the provider; nothing changes here
    /// (state, nonce and PKCE are checked on the way back), and a navigation started by another site is refused.
    /// </summary>
    internal static IResult Challenge(HttpContext context, IOptionsMonitor<HandoffOptions> options)
    {
        if (!options.CurrentValue.OpenIdConnect.IsConfigured)
        {
            return Results.NotFound();
        }
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return Results.Json(new { error = "Start the sign-in from the console's own page." }, statusCode: StatusCodes.Status403Forbidden);
        }
        return Results.Challenge(new AuthenticationProperties { RedirectUri = "/agent/" }, [Scheme]);
    }

    private static void Configure(OpenIdConnectOptions oidc, AgentOpenIdConnectSettings settings)
    {
        if (!settings.IsConfigured)
        {
            return;
        }
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        oidc.ResponseType = "code";
        // The code travels in a POST body, not in a URL that proxies and browsers record.
        oidc.ResponseMode = "form_post";
        oidc.UsePkce = true;
        oidc.CallbackPath = CallbackPath;
        oidc.SignInScheme = AgentSignIn.Scheme;
        // Nothing of the provider's tokens is kept: the cookie names a session record, as for password agents.
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.MapInboundClaims = false;
        oidc.UseTokenLifetime = false;
        oidc.Scope.Clear();
        foreach (var scope in settings.Scopes.Count > 0 ? settings.Scopes : ["openid", "profile"])
        {
            oidc.Scope.Add(scope);
        }
        oidc.TokenValidationParameters.NameClaimType = settings.NameClaim;
        oidc.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
        oidc.TokenValidationParameters.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
        oidc.SignedOutCallbackPath = SignedOutCallbackPath;
        oidc.SignedOutRedirectUri = SignedOutRedirect;
        oidc.Events.OnTokenValidated = TokenValidatedAsync;
        oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            // The id token the agent signed in with (kept in the session record, not the cookie) tells the provider whose session to end.
            if (context.HttpContext.Items[IdTokenHintItem] is string hint)
            {
                context.ProtocolMessage.IdTokenHint = hint;
            }
            context.ProtocolMessage.ClientId = settings.ClientId;
            return Task.CompletedTask;
        };
        oidc.Events.OnSignedOutCallbackRedirect = context =>
        {
            // Back from the provider's end-session page: always the console's own page, whatever state or parameters came along.
            context.Response.Redirect(SignedOutRedirect);
            context.HandleResponse();
            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteSignOut = RemoteSignOutAsync;
        oidc.Events.OnRemoteFailure = RemoteFailureAsync;
        oidc.Events.OnAccessDenied = context =>
        {
            context.Response.Redirect(RefusedRedirect);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>The id token is valid (signature, issuer, audience, lifetime, nonce): admit an agent, refuse anybody else.</summary>
    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var handoff = services.GetRequiredService<IOptionsMonitor<HandoffOptions>>().CurrentValue;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentOpenIdConnect));
        var user = context.Principal!;
        var subject = user.FindFirstValue("sub");
        var hasRole = user.FindAll(handoff.OpenIdConnect.RoleClaim).Any(claim => string.Equals(claim.Value, handoff.AgentRole, StringComparison.Ordinal));
        if (subject is null || !hasRole)
        {
            LogRefused(logger);
            context.Fail("The signed-in user does not hold the agent role.");
            return;
        }
        var id = AgentIdPrefix + subject;
        var name = user.FindFirstValue(handoff.OpenIdConnect.NameClaim);
        // Customers are told the display name, never an e-mail address.
        if (string.IsNullOrWhiteSpace(name) || name.Contains('@', StringComparison.Ordinal))
        {
            name = "Support";
        }
        var signIn = services.GetRequiredService<AgentSignIn>();
        // The provider's session, for its front- and back-channel logout (which find console sessions by it, never by the cookie).
        var provider = (user.FindFirstValue("iss") ?? context.SecurityToken?.Issuer) is { Length: > 0 } issuer
            ? new ProviderSession(issuer, user.FindFirstValue("sid"), subject)
            : null;
        var sessionId = await signIn.StartSessionAsync(id, context.TokenEndpointResponse?.IdToken, provider, context.HttpContext.RequestAborted).ConfigureAwait(false);
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, id),
                new Claim(AgentSignIn.DisplayNameClaim, name),
                new Claim(AgentSignIn.SessionClaim, sessionId),
                new Claim(AgentSignIn.RoleClaim, handoff.AgentRole),
            ],
            AgentSignIn.Scheme, ClaimTypes.NameIdentifier, AgentSignIn.RoleClaim));
        LogSignedIn(logger, name);
    }

    /// <summary>
    /// RP-initiated logout: after the console's own session ended (<paramref name="ended"/>), the URL of the provider's
    /// <c>end_session_endpoint</c> for an agent who came through the provider — with <c>id_token_hint</c>, the client id,
    /// the post-logout redirect URI (<see cref="SignedOutCallbackPath"/>) and a protected state that brings the browser
    /// back to <see cref="SignedOutRedirect"/> only. Null when the agent signed in with a password, the provider's discovery
    /// document names no such endpoint, or it cannot be read now (the console's session is ended all the same).
    /// The handler builds the URL as a redirect; the console's sign-out is a fetch, which cannot follow a redirect to
    /// another origin, so the redirect is turned into an answer the page navigates to.
    /// </summary>
    internal static async Task<string?> EndSessionUrlAsync(HttpContext context, EndedAgentSession? ended)
    {
        var services = context.RequestServices;
        if (ended is null || !ended.AgentId.StartsWith(AgentIdPrefix, StringComparison.Ordinal)
            || !services.GetRequiredService<IOptionsMonitor<HandoffOptions>>().CurrentValue.OpenIdConnect.IsConfigured)
        {
            return null;
        }
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
        string? endpoint;
        try
        {
            endpoint = oidc.ConfigurationManager is { } manager ? (await manager.GetConfigurationAsync(context.RequestAborted).ConfigureAwait(false)).EndSessionEndpoint : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
        {
            LogNoEndSession(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentOpenIdConnect)), exception.GetType().Name);
            return null;
        }
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }
        context.Items[IdTokenHintItem] = ended.IdToken;
        await context.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = SignedOutRedirect }).ConfigureAwait(false);
        var location = context.Response.Headers.Location.ToString();
        context.Response.Headers.Location = Microsoft.Extensions.Primitives.StringValues.Empty;
        context.Response.StatusCode = StatusCodes.Status200OK;
        return string.IsNullOrEmpty(location) ? null : location;
    }

    /// <summary>
    /// Front-channel logout (<c>/signout-oidc</c>, loaded by the provider, usually in a frame): with the provider's
    /// <c>iss</c> (its own issuer, checked) and <c>sid</c>, every console session begun in that provider session is ended
    /// server-side (<see cref="AgentSignIn.EndProviderSessionAsync"/>). Answered here, not by the handler: its default
    /// only drops the cookie of the request, which a provider's frame never carries (<c>SameSite=Strict</c>, path
    /// <c>/agent</c>). Without both parameters nothing is ended: nothing else says whose session it was.
    /// </summary>
    private static async Task RemoteSignOutAsync(RemoteSignOutContext context)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentOpenIdConnect));
        var message = context.ProtocolMessage;
        if (message is { Iss.Length: > 0, Sid.Length: > 0 })
        {
            string? issuer;
            try
            {
                issuer = context.Options.ConfigurationManager is { } manager
                    ? (await manager.GetConfigurationAsync(context.HttpContext.RequestAborted).ConfigureAwait(false)).Issuer
                    : null;
            }
            catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
            {
                // Unverifiable now: logged below as not ended (the session then ends with its cookie or its lifetime).
                issuer = null;
            }
            if (issuer is not null && string.Equals(message.Iss, issuer, StringComparison.Ordinal))
            {
                await services.GetRequiredService<AgentSignIn>().EndProviderSessionAsync(message.Iss, message.Sid, agentId: null, context.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                LogForeignLogout(logger);
            }
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.HandleResponse();
    }

    private static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        // The exception's message names the failed check only (no token); the customer-facing answer says nothing more.
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentOpenIdConnect));
        LogFailed(logger, context.Failure?.GetType().Name ?? "unknown");
        context.Response.Redirect(RefusedRedirect);
        context.HandleResponse();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {DisplayName} signed in to the console through OpenID Connect")]
    private static partial void LogSignedIn(ILogger logger, string displayName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An OpenID Connect user without the agent role was refused the console")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The OpenID Connect provider's discovery document could not be read at sign-out ({Failure}); only the console's session was ended")]
    private static partial void LogNoEndSession(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A front-channel logout named an issuer other than the console's provider (or it could not be read); nothing was ended")]
    private static partial void LogForeignLogout(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An OpenID Connect sign-in to the console failed ({Failure})")]
    private static partial void LogFailed(ILogger logger, string failure);
}
