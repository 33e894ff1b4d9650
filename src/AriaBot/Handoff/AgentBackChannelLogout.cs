using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AriaBot.Handoff;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 for the agents' console: the provider POSTs a <c>logout_token</c> (form field)
/// to <see cref="Path"/> server to server, and every console session of the provider session (<c>sid</c>) or, without
/// one, of the user (<c>sub</c>) ends (<see cref="AgentSignIn.EndProviderSessionAsync"/>). The token is checked like an
/// id token against the configured provider's discovery document and keys — signature, <c>iss</c>, <c>aud</c> = our
/// client id, <c>iat</c> within <see cref="IssuedAtTolerance"/> of now — plus what makes it a logout token: its
/// <c>typ</c> (<see cref="IsLogoutType"/>), the back-channel logout event, <c>sid</c> and/or <c>sub</c>, no
/// <c>nonce</c>, and a <c>jti</c> used once. 200 when it is valid (also when no session matched), 400 with
/// <c>error</c>/<c>error_description</c> otherwise; never cached. ASP.NET Core's OpenID Connect handler has no
/// back-channel support, hence this endpoint.
/// </summary>
public static partial class AgentBackChannelLogout
{
    /// <summary>The back-channel logout URI to register at the provider (<c>https://&lt;host&gt;/agent/backchannel-logout</c>).</summary>
    public const string Path = "/agent/backchannel-logout";

    public const string EventType = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>How far <c>iat</c> may be from now (either way): a logout token is posted the moment it is made.</summary>
    public static readonly TimeSpan IssuedAtTolerance = TimeSpan.FromMinutes(2);

    private const string UsedTokenPrefix = "handoff/logout-tokens/";
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>A logout token that passed every check.</summary>
    internal sealed record LogoutToken(string Issuer, string? Sid, string? Subject, string Jti);

    private sealed record UsedToken(DateTimeOffset At);

    internal static IEndpointConventionBuilder MapBackChannelLogout(this WebApplication app) => app.MapPost(Path, HandleAsync);

    // Two parameters, so that it binds as a route handler (its IResult executed), never as a bare RequestDelegate.
    private static async Task<IResult> HandleAsync(HttpContext context, IOptionsMonitor<HandoffOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var services = context.RequestServices;
        var settings = options.CurrentValue.OpenIdConnect;
        if (!settings.IsConfigured)
        {
            return Results.NotFound();
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentBackChannelLogout));
        var token = await ReadTokenAsync(context).ConfigureAwait(false);
        if (token is null)
        {
            return Refuse(logger, "Send the logout token as the form field logout_token (application/x-www-form-urlencoded).");
        }
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AgentOpenIdConnect.Scheme);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (logout, error) = await ValidateAsync(token, oidc.ConfigurationManager, settings.ClientId!, now, context.RequestAborted).ConfigureAwait(false);
        if (logout is null)
        {
            return Refuse(logger, error!);
        }
        // Single use, remembered for as long as the token could still pass the iat check.
        var used = UsedTokenPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(logout.Issuer + "\n" + logout.Jti)))[..32];
        var storage = services.GetRequiredService<IStorage>();
        if (await storage.TryCreateAsync(used, new UsedToken(now), now + IssuedAtTolerance + IssuedAtTolerance, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return Refuse(logger, "This logout token was used already (jti).");
        }
        var signIn = services.GetRequiredService<AgentSignIn>();
        var agentId = logout.Subject is null ? null : AgentOpenIdConnect.AgentIdPrefix + logout.Subject;
        var ended = logout.Sid is not null
            ? await signIn.EndProviderSessionAsync(logout.Issuer, logout.Sid, agentId, context.RequestAborted).ConfigureAwait(false)
            : await signIn.EndProviderSubjectAsync(logout.Issuer, logout.Subject!, context.RequestAborted).ConfigureAwait(false);
        LogEnded(logger, ended);
        return Results.Ok();
    }

    private static async Task<string?> ReadTokenAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength is > MaxBodyBytes)
        {
            return null;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            return form["logout_token"] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    /// <summary>Checks <paramref name="token"/> as OpenID Connect Back-Channel Logout 1.0 §2.6 asks; the reason in plain words when it fails.</summary>
    internal static async Task<(LogoutToken? Token, string? Error)> ValidateAsync(
        string token, IConfigurationManager<OpenIdConnectConfiguration>? manager, string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (manager is null || await ConfigurationAsync(manager, cancellationToken).ConfigureAwait(false) is not { } configuration)
        {
            return (null, "The provider's discovery document or keys cannot be read now; nothing was ended.");
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(configuration, clientId)).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rolled its keys since they were read: read them again once (the manager allows
            // that at most every few minutes, so a stream of unknown key ids cannot hammer the provider).
            manager.RequestRefresh();
            if (await ConfigurationAsync(manager, cancellationToken).ConfigureAwait(false) is { } refreshed)
            {
                configuration = refreshed;
                result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(configuration, clientId)).ConfigureAwait(false);
            }
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception switch
            {
                SecurityTokenInvalidIssuerException => "The logout token's issuer (iss) is not the console's provider.",
                SecurityTokenInvalidAudienceException => "The logout token's audience (aud) is not the console's client id.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException
                    => "The logout token's signature does not verify with the provider's keys.",
                _ => "The logout token is not a valid signed JWT.",
            });
        }
        if (!IsLogoutType(jwt.Typ))
        {
            return (null, $"The logout token's type (typ) is another token's: a logout token is typed {TokenType} (or untyped).");
        }
        return Claims(jwt, configuration.Issuer, now);
    }

    /// <summary>The JOSE <c>typ</c> of a logout token (§2.4: SHOULD be set), registered as <c>application/logout+jwt</c>.</summary>
    public const string TokenType = "logout+jwt";

    /// <summary>
    /// §2.4 recommends typing logout tokens <c>logout+jwt</c> so that no other JWT of the provider's (an access token, a
    /// token for another protocol) can pass as one; §2.6 still has the receiver accept untyped ones. So: <c>logout+jwt</c>
    /// (RFC 7515 §4.1.9: case-insensitive, the <c>application/</c> prefix optional), no <c>typ</c>, or <c>JWT</c> —
    /// which says only "a JWT", is what providers that do not type their logout tokens send (Keycloak does), and is
    /// also what an id token carries: an id token is kept out by the events claim and the nonce rule, as for an
    /// untyped token. Any other explicit type declares a different token and is refused.
    /// </summary>
    internal static bool IsLogoutType(string? typ)
    {
        if (string.IsNullOrEmpty(typ) || string.Equals(typ, "JWT", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var subtype = typ.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? typ["application/".Length..] : typ;
        return string.Equals(subtype, TokenType, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<OpenIdConnectConfiguration?> ConfigurationAsync(IConfigurationManager<OpenIdConnectConfiguration> manager, CancellationToken cancellationToken)
    {
        try
        {
            return await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    private static TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, string clientId) => new()
    {
        ValidIssuer = configuration.Issuer,
        ValidAudience = clientId,
        IssuerSigningKeys = configuration.SigningKeys,
        RequireSignedTokens = true,
        ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"],
        // A logout token need not carry exp; iat (and exp when present) are checked below against the host's clock.
        ValidateLifetime = false,
        RequireExpirationTime = false,
    };

    private static (LogoutToken? Token, string? Error) Claims(JsonWebToken jwt, string issuer, DateTimeOffset now)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var claims = payload.RootElement;
        if (!claims.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedAt)
            || (DateTimeOffset.FromUnixTimeSeconds(issuedAt) - now).Duration() > IssuedAtTolerance)
        {
            return (null, $"The logout token's iat is missing or more than {IssuedAtTolerance.TotalMinutes:0} minutes from now.");
        }
        if (claims.TryGetProperty("exp", out var exp) && (!exp.TryGetInt64(out var expires) || DateTimeOffset.FromUnixTimeSeconds(expires) + IssuedAtTolerance < now))
        {
            return (null, "The logout token has expired (exp).");
        }
        if (!claims.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Object
            || !events.TryGetProperty(EventType, out var logoutEvent) || logoutEvent.ValueKind != JsonValueKind.Object)
        {
            return (null, $"The logout token's events claim does not hold {EventType}.");
        }
        if (claims.TryGetProperty("nonce", out _))
        {
            return (null, "A logout token must not carry a nonce.");
        }
        var sid = Text(claims, "sid");
        var subject = Text(claims, "sub");
        if (sid is null && subject is null)
        {
            return (null, "The logout token names neither a session (sid) nor a user (sub).");
        }
        if (Text(claims, "jti") is not { } jti)
        {
            return (null, "The logout token has no jti.");
        }
        return (new LogoutToken(issuer, sid, subject, jti), null);
    }

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static IResult Refuse(ILogger logger, string reason)
    {
        LogRefused(logger, reason);
        return Results.Json(new { error = "invalid_request", error_description = reason }, statusCode: StatusCodes.Status400BadRequest);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A back-channel logout from the OpenID Connect provider ended {Count} console session(s)")]
    private static partial void LogEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A back-channel logout was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
