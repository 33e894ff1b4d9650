using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using AriaBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotRuntime.Tests.Authentication;

/// <summary>
/// A real HTTP server on loopback playing both token issuers a bot trusts: the Bot Connector service's OpenID
/// metadata (keys with channel endorsements) and Azure AD's (keys without, for Emulator tokens). Tests mint tokens
/// with its private keys, or with keys it never publishes.
/// </summary>
internal sealed class StandInOpenIdIssuer : IAsyncDisposable
{
    public const string AppId = "5a1e0b9c-0d6f-4c53-9d0e-2f4f3e3b1a10";
    public const string ChannelIssuer = "https://api.botframework.com";
    public const string EmulatorV1Issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";
    public const string EmulatorV2Issuer = "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0";

    private LoopbackServer _server = null!;
    private readonly Lock _gate = new();
    private int _channelFetches;
    private int _emulatorFetches;

    /// <summary>A signing key; <see cref="Endorsements"/> null means the published key has no endorsements member.</summary>
    public sealed class SigningKey(string kid, string[]? endorsements = null, string? keyMaterial = null)
    {
        /// <summary>RSA keys are slow to make on a shared 2-core box: one per name for the whole test run.</summary>
        private static readonly ConcurrentDictionary<string, RSA> Pool = new(StringComparer.Ordinal);

        public RSA Rsa { get; } = Pool.GetOrAdd(keyMaterial ?? kid, _ => RSA.Create(2048));
        public string Kid { get; } = kid;
        public string[]? Endorsements { get; } = endorsements;
        public RsaSecurityKey Private => new(Rsa) { KeyId = Kid };
    }

    public List<SigningKey> ChannelKeys { get; } = [];
    public List<SigningKey> EmulatorKeys { get; } = [];

    /// <summary>Answer metadata requests with 500 while set.</summary>
    public bool Failing { get; set; }

    public int ChannelFetches => Volatile.Read(ref _channelFetches);
    public int EmulatorFetches => Volatile.Read(ref _emulatorFetches);

    private StandInOpenIdIssuer()
    {
    }

    public Uri BaseUrl => new(_server.Origin);

    public string ChannelMetadataUrl => new Uri(BaseUrl, "/v1/.well-known/openidconfiguration").AbsoluteUri;
    public string EmulatorMetadataUrl => new Uri(BaseUrl, "/common/v2.0/.well-known/openid-configuration").AbsoluteUri;

    /// <summary>The key channels' tokens are signed with by default (endorsed for the test channels).</summary>
    public SigningKey ChannelKey => ChannelKeys[0];
    public SigningKey EmulatorKey => EmulatorKeys[0];

    public static async Task<StandInOpenIdIssuer> StartAsync()
    {
        var issuer = new StandInOpenIdIssuer();
        issuer.ChannelKeys.Add(new SigningKey("channel-key-1", ["test", "msteams", "emulator"]));
        issuer.EmulatorKeys.Add(new SigningKey("aad-key-1"));
        issuer._server = await LoopbackServer.StartAsync(issuer.Map);
        return issuer;
    }

    private void Map(WebApplication app)
    {
        var issuer = this;
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref issuer._channelFetches);
            return issuer.Failing ? Results.StatusCode(500) : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = ChannelIssuer,
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = new Uri(issuer.BaseUrl, "/v1/.well-known/keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
            });
        });
        app.MapGet("/v1/.well-known/keys", () => issuer.Failing ? Results.StatusCode(500) : Results.Content(issuer.Jwks(issuer.ChannelKeys), "application/json"));
        app.MapGet("/common/v2.0/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer._emulatorFetches);
            return issuer.Failing ? Results.StatusCode(500) : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0",
                ["jwks_uri"] = new Uri(issuer.BaseUrl, "/common/discovery/v2.0/keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/common/discovery/v2.0/keys", () => issuer.Failing ? Results.StatusCode(500) : Results.Content(issuer.Jwks(issuer.EmulatorKeys), "application/json"));
    }

    private string Jwks(List<SigningKey> keys)
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new
            {
                keys = keys.Select(key =>
                {
                    var parameters = key.Rsa.ExportParameters(false);
                    var jwk = new Dictionary<string, object>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = key.Kid,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
                    };
                    if (key.Endorsements is not null)
                    {
                        jwk["endorsements"] = key.Endorsements;
                    }
                    return jwk;
                }).ToList(),
            });
        }
    }

    public void Publish(List<SigningKey> set, SigningKey key)
    {
        lock (_gate)
        {
            set.Add(key);
        }
    }

    /// <summary>A channel token as the Bot Connector service sends it, for the given serviceUrl; <paramref name="edit"/> changes anything.</summary>
    public string ChannelToken(string? serviceUrl, DateTimeOffset now, Action<SecurityTokenDescriptor>? edit = null, SigningKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = ChannelIssuer,
            Audience = AppId,
            IssuedAt = now.UtcDateTime.AddMinutes(-1),
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            Expires = now.UtcDateTime.AddMinutes(59),
            Claims = claims,
            SigningCredentials = new SigningCredentials((key ?? ChannelKey).Private, algorithm),
        };
        edit?.Invoke(descriptor);
        return Mint(descriptor);
    }

    /// <summary>An Emulator token (the bot's own credentials, scope {appId}/.default), v1 or v2.</summary>
    public string EmulatorToken(string version, DateTimeOffset now, Action<SecurityTokenDescriptor>? edit = null, SigningKey? key = null)
    {
        var claims = new Dictionary<string, object> { ["ver"] = version, ["tid"] = "d6d49420-f39b-4df7-a1dc-d59a935871db" };
        claims[version == "2.0" ? "azp" : "appid"] = AppId;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = version == "2.0" ? EmulatorV2Issuer : EmulatorV1Issuer,
            Audience = AppId,
            IssuedAt = now.UtcDateTime.AddMinutes(-1),
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            Expires = now.UtcDateTime.AddMinutes(59),
            Claims = claims,
            SigningCredentials = new SigningCredentials((key ?? EmulatorKey).Private, SecurityAlgorithms.RsaSha256),
        };
        edit?.Invoke(descriptor);
        return Mint(descriptor);
    }

    private static string Mint(SecurityTokenDescriptor descriptor) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
