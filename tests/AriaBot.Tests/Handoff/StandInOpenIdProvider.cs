using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AriaBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// A small OpenID Connect provider on loopback for the console's agent sign-in: discovery document, JWKS, an authorize
/// endpoint that "signs in" <see cref="NextUser"/> and answers with a <c>form_post</c> page, and a token endpoint that
/// checks the client secret, the code, the redirect URI and PKCE before issuing an RS256 id token carrying the nonce.
/// It can misbehave on purpose: sign with a key it does not publish (<see cref="SignWithUnpublishedKey"/>) or issue an
/// already expired token (<see cref="IssueExpired"/>). With <see cref="OfferEndSession"/> (set before the client first reads
/// the discovery document) it also names an <c>end_session_endpoint</c>, which records each request and sends the browser
/// back to the <c>post_logout_redirect_uri</c> with the <c>state</c>.
/// </summary>
internal sealed class StandInOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "ariabot-console";
    public const string ClientSecret = "console-client-secret-0123456789abcdef";
    private const string KeyId = "provider-key-1";

    private LoopbackServer _server = null!;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _unpublished = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _grants = new();

    private sealed record Grant(string ClientId, string RedirectUri, string? Nonce, string? CodeChallenge, AgentUser User);

    public sealed record AgentUser(string Subject, string Name, params string[] Roles);

    private StandInOpenIdProvider()
    {
    }

    public string Authority => _server.Origin;

    public AgentUser NextUser { get; set; } = new("agent-robin", "Robin Agent", "handoff-agent");

    public bool SignWithUnpublishedKey { get; set; }

    public bool IssueExpired { get; set; }

    public bool OfferEndSession { get; set; }

    /// <summary>The provider's own session for the browser that signs in (the id token's <c>sid</c>, as front-channel logout names it).</summary>
    public string SessionId { get; set; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The query of each request to the end-session endpoint.</summary>
    public ConcurrentQueue<Dictionary<string, string>> EndSessionRequests { get; } = new();

    /// <summary>Every code, id token and secret this provider handed out, to prove none reaches a log.</summary>
    public ConcurrentBag<string> Issued { get; } = [];

    public int TokenRequests;

    public static async Task<StandInOpenIdProvider> StartAsync()
    {
        var provider = new StandInOpenIdProvider();
        provider._server = await LoopbackServer.StartAsync(provider.Map, slim: true);
        return provider;
    }

    /// <summary>The bot's settings for a console whose agents sign in through this provider only (no password agents).</summary>
    public Dictionary<string, string?> ConsoleSettings() => new()
    {
        ["Handoff:Enabled"] = "true",
        ["Handoff:OpenIdConnect:Authority"] = Authority,
        ["Handoff:OpenIdConnect:ClientId"] = ClientId,
        ["Handoff:OpenIdConnect:ClientSecret"] = ClientSecret,
        ["Handoff:OpenIdConnect:RequireHttpsMetadata"] = "false",
    };

    private void Map(WebApplication app)
    {
        var provider = this;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>(provider.OfferEndSession
            ? [new("end_session_endpoint", provider.Authority + "/end-session")]
            : [])
        {
            ["issuer"] = provider.Authority,
            ["authorization_endpoint"] = provider.Authority + "/authorize",
            ["token_endpoint"] = provider.Authority + "/token",
            ["jwks_uri"] = provider.Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["frontchannel_logout_supported"] = true,
            ["frontchannel_logout_session_supported"] = true,
            ["backchannel_logout_supported"] = true,
            ["backchannel_logout_session_supported"] = true,
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(provider._rsa.ExportParameters(false)) { KeyId = KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        app.MapGet("/end-session", (HttpRequest request) =>
        {
            var query = request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            provider.EndSessionRequests.Enqueue(query);
            return query.TryGetValue("post_logout_redirect_uri", out var back)
                ? Results.Redirect($"{back}?state={Uri.EscapeDataString(query.GetValueOrDefault("state") ?? "")}")
                : Results.Content("signed out", "text/plain");
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["response_type"] != "code" || string.IsNullOrEmpty(query["redirect_uri"]))
        {
            return Results.BadRequest("unknown client or response type");
        }
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Issued.Add(code);
        _grants[code] = new Grant(ClientId, query["redirect_uri"]!, query["nonce"], query["code_challenge"], NextUser);
        // response_mode=form_post: the page a browser would submit by script to the client's redirect URI.
        var html = new StringBuilder("<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"")
            .Append(WebUtility.HtmlEncode(query["redirect_uri"])).Append("\">")
            .Append("<input type=\"hidden\" name=\"code\" value=\"").Append(code).Append("\"/>")
            .Append("<input type=\"hidden\" name=\"state\" value=\"").Append(WebUtility.HtmlEncode(query["state"])).Append("\"/>")
            .Append("</form></body></html>");
        return Results.Content(html.ToString(), "text/html");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref TokenRequests);
        var form = await request.ReadFormAsync();
        var (clientId, secret) = ClientCredentials(request, form);
        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }
        if (form["grant_type"] != "authorization_code" || !_grants.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }
        var verifier = form["code_verifier"].ToString();
        if (grant.CodeChallenge is null || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE" }, statusCode: 400);
        }
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var issuedAt = IssueExpired ? now.AddHours(-2) : now;
        var key = new RsaSecurityKey(SignWithUnpublishedKey ? _unpublished : _rsa) { KeyId = KeyId };
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt.AddMinutes(IssueExpired ? 30 : 60),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Subject,
                ["name"] = grant.User.Name,
                ["preferred_username"] = grant.User.Subject + "@example.com",
                ["roles"] = grant.User.Roles,
                ["nonce"] = grant.Nonce ?? "",
                ["sid"] = SessionId,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        var accessToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Issued.Add(idToken);
        Issued.Add(accessToken);
        return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 3600, id_token = idToken });
    }

    /// <summary>What a <see cref="LogoutToken"/> says; each field can be made wrong on purpose.</summary>
    public sealed record LogoutClaims(DateTimeOffset IssuedAt)
    {
        public string? Sid { get; init; }
        public string? Subject { get; init; }
        public string? Audience { get; init; } = ClientId;
        /// <summary>Null: the provider's own issuer.</summary>
        public string? Issuer { get; init; }
        public bool WithLogoutEvent { get; init; } = true;
        public string? Nonce { get; init; }
        public string Jti { get; init; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        public bool SignWithUnpublishedKey { get; init; }
        /// <summary>The JOSE header's <c>typ</c>; null: no <c>typ</c> at all (providers that do not type their tokens).</summary>
        public string? TokenType { get; init; } = "logout+jwt";
    }

    /// <summary>
    /// A back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.4), signed like the id tokens: <c>iss</c>,
    /// <c>aud</c>, <c>iat</c>, <c>jti</c>, the logout event, <c>sid</c> and/or <c>sub</c>; no <c>exp</c> and no
    /// <c>nonce</c> unless asked for. <c>iat</c> is the caller's, so it can follow the bot's fake clock.
    /// </summary>
    public string LogoutToken(LogoutClaims claims)
    {
        var payload = new Dictionary<string, object>
        {
            ["jti"] = claims.Jti,
            ["events"] = claims.WithLogoutEvent
                ? new Dictionary<string, object> { ["http://schemas.openid.net/event/backchannel-logout"] = new Dictionary<string, object>() }
                : new Dictionary<string, object> { ["http://schemas.openid.net/event/other"] = new Dictionary<string, object>() },
        };
        if (claims.Sid is not null)
        {
            payload["sid"] = claims.Sid;
        }
        if (claims.Subject is not null)
        {
            payload["sub"] = claims.Subject;
        }
        if (claims.Nonce is not null)
        {
            payload["nonce"] = claims.Nonce;
        }
        var rsa = claims.SignWithUnpublishedKey ? _unpublished : _rsa;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = claims.Issuer ?? Authority,
            Audience = claims.Audience,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            // The handler writes "JWT" for an empty type and cannot leave typ out: an untyped token is signed again below.
            TokenType = claims.TokenType ?? "JWT",
            Claims = payload,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
        if (claims.TokenType is null)
        {
            var header = Base64UrlEncoder.Encode($$"""{"alg":"RS256","kid":"{{KeyId}}"}""");
            var signed = header + "." + token.Split('.')[1];
            token = signed + "." + Base64UrlEncoder.Encode(rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        Issued.Add(token);
        return token;
    }

    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }
        return (form["client_id"], form["client_secret"]);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _rsa.Dispose();
        _unpublished.Dispose();
    }
}
