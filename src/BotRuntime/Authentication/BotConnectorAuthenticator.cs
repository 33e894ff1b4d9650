using System.Globalization;
using System.Security.Claims;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotRuntime.Authentication;

/// <summary>
/// Authenticates <c>/api/messages</c> requests as the Bot Framework SDK does: Bot Connector
/// channel tokens (signed with endorsed keys, carrying the activity's serviceUrl) and Emulator tokens (Azure AD,
/// obtained with the bot's own credentials). A bot without an app id runs requests without a header anonymously,
/// but a request with a header is always validated — and, lacking an audience to check, fails.
/// After success the conversation's serviceUrl is recorded as trusted to receive the bot's token.
/// </summary>
public sealed class BotConnectorAuthenticator(
    IOptionsMonitor<BotCredentialsOptions> credentials,
    IOptionsMonitor<BotCloudOptions> cloud,
    IOptionsMonitor<BotAuthenticationOptions> options,
    SigningKeyCaches signingKeys,
    ServiceUrlTrust serviceUrlTrust,
    TimeProvider timeProvider) : IBotRequestAuthenticator
{
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<BotAuthenticationResult> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var appId = credentials.CurrentValue.MicrosoftAppId?.Trim();
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            // Start-up (AnonymousPolicyValidator) already refused an app-id-less bot outside Development unless allowed.
            return string.IsNullOrEmpty(appId)
                ? BotAuthenticationResult.Anonymous
                : BotAuthenticationResult.Fail("no Authorization header, and the bot has an app id");
        }
        if (!TryReadBearer(authorizationHeader, out var rawToken))
        {
            return BotAuthenticationResult.Fail("the Authorization header is not 'Bearer <token>'");
        }
        if (string.IsNullOrEmpty(appId))
        {
            return BotAuthenticationResult.Fail("an Authorization header was sent but the bot has no app id, so no token can match its audience");
        }

        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(rawToken);
        }
        catch (ArgumentException)
        {
            return BotAuthenticationResult.Fail("the bearer token is not a well-formed JWT");
        }

        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            // Checked up front for a clear log line; the validation below enforces it as well.
            return BotAuthenticationResult.Fail("the token's algorithm is not RS256, RS384 or RS512");
        }

        var cloudSettings = cloud.CurrentValue;
        // Which validation applies is chosen by the (not yet verified) issuer, as in the SDK; each path then
        // verifies that issuer along with everything else.
        var issuer = token.Issuer;
        BotAuthenticationResult result;
        if (string.Equals(issuer, cloudSettings.ChannelTokenIssuer, StringComparison.Ordinal))
        {
            result = await ValidateChannelTokenAsync(token, rawToken, activity, appId, cloudSettings, cancellationToken).ConfigureAwait(false);
        }
        else if (EmulatorIssuers(cloudSettings).Contains(issuer, StringComparer.Ordinal))
        {
            result = await ValidateEmulatorTokenAsync(token, rawToken, appId, cloudSettings, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return BotAuthenticationResult.Fail("the token's issuer is neither the Bot Connector service nor an Emulator issuer");
        }

        if (result.Succeeded && !string.IsNullOrEmpty(activity.ServiceUrl) && activity.ChannelId is { Length: > 0 } channelId && activity.Conversation?.Id is { Length: > 0 } conversationId)
        {
            await serviceUrlTrust.RecordAsync(channelId, conversationId, activity.ServiceUrl, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<BotAuthenticationResult> ValidateChannelTokenAsync(JsonWebToken token, string rawToken, Activity activity, string appId, BotCloudOptions cloudSettings, CancellationToken cancellationToken)
    {
        var (key, keyFailure) = await FindKeyAsync(cloudSettings.ChannelOpenIdMetadataUrl, token, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return BotAuthenticationResult.Fail($"channel token: {keyFailure}");
        }
        var validation = await ValidateAsync(rawToken, key, [cloudSettings.ChannelTokenIssuer], [appId]).ConfigureAwait(false);
        if (validation is not null)
        {
            return BotAuthenticationResult.Fail($"channel token: {validation}");
        }

        // A channel's signing key names the channels it may speak for; a key without endorsements signs only
        // Emulator and skill tokens, never a channel's.
        var endorsements = SigningKeyCache.Endorsements(key);
        if (endorsements is null || endorsements.Count == 0)
        {
            return BotAuthenticationResult.Fail("channel token: the signing key carries no channel endorsements");
        }
        if (!endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            return BotAuthenticationResult.Fail($"channel token: the signing key is not endorsed for channel '{activity.ChannelId}'");
        }

        // The serviceurl claim binds the token to where replies go: without it, a captured token could steer the
        // bot's replies (and its own token) anywhere.
        if (!token.TryGetPayloadValue<string>("serviceurl", out var serviceUrlClaim) || string.IsNullOrEmpty(serviceUrlClaim))
        {
            return BotAuthenticationResult.Fail("channel token: no serviceurl claim");
        }
        if (!string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return BotAuthenticationResult.Fail("channel token: the serviceurl claim does not match the activity's serviceUrl");
        }
        return BotAuthenticationResult.Authenticated(Identity(token), cloudSettings.CallerId);
    }

    private async Task<BotAuthenticationResult> ValidateEmulatorTokenAsync(JsonWebToken token, string rawToken, string appId, BotCloudOptions cloudSettings, CancellationToken cancellationToken)
    {
        var (key, keyFailure) = await FindKeyAsync(cloudSettings.EmulatorOpenIdMetadataUrl, token, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return BotAuthenticationResult.Fail($"emulator token: {keyFailure}");
        }
        // The Emulator asks for "{appId}/.default", so the token is addressed to the bot. Checking that also stops a
        // token the bot itself sent to a channel (audience api.botframework.com, same issuer and appid) from being
        // replayed to the bot as an "Emulator" token.
        var validation = await ValidateAsync(rawToken, key, EmulatorIssuers(cloudSettings), [appId, $"api://{appId}"]).ConfigureAwait(false);
        if (validation is not null)
        {
            return BotAuthenticationResult.Fail($"emulator token: {validation}");
        }
        if (!token.TryGetPayloadValue<string>("ver", out var version) || string.IsNullOrEmpty(version))
        {
            return BotAuthenticationResult.Fail("emulator token: no ver claim");
        }
        var appIdClaim = version switch
        {
            "1.0" => "appid",
            "2.0" => "azp",
            _ => null,
        };
        if (appIdClaim is null)
        {
            return BotAuthenticationResult.Fail($"emulator token: unknown token version '{version}'");
        }
        if (!token.TryGetPayloadValue<string>(appIdClaim, out var caller) || string.IsNullOrEmpty(caller))
        {
            return BotAuthenticationResult.Fail($"emulator token: no {appIdClaim} claim");
        }
        if (!string.Equals(caller, appId, StringComparison.OrdinalIgnoreCase))
        {
            // Another app's token addressed to us is a skill (bot-to-bot) call; skills are not accepted.
            return BotAuthenticationResult.Fail($"emulator token: {appIdClaim} is not the bot's own app id (skill calls are not accepted)");
        }
        return BotAuthenticationResult.Authenticated(Identity(token), cloudSettings.CallerId);
    }

    private async Task<(JsonWebKey? Key, string? Failure)> FindKeyAsync(string metadataUrl, JsonWebToken token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token.Kid))
        {
            return (null, "the token names no signing key (kid)");
        }
        try
        {
            var key = await signingKeys.For(metadataUrl).FindAsync(token.Kid, cancellationToken).ConfigureAwait(false);
            return key is null ? (null, "unknown signing key id (kid)") : (key, null);
        }
        catch (SigningKeysUnavailableException)
        {
            return (null, "the signing keys could not be fetched");
        }
    }

    /// <summary>Signature, algorithm, issuer, audience and lifetime; null when all hold, else why not.</summary>
    private async Task<string?> ValidateAsync(string rawToken, JsonWebKey key, IEnumerable<string> issuers, IEnumerable<string> audiences)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            ValidAlgorithms = Algorithms,
            ValidateIssuer = true,
            ValidIssuers = issuers,
            ValidateAudience = true,
            ValidAudiences = audiences,
            // Lifetime is checked below on the injected clock: IdentityModel's own check reads the wall clock.
            ValidateLifetime = false,
            ValidateIssuerSigningKey = false,
            SaveSigninToken = false,
        };
        var result = await Handler.ValidateTokenAsync(rawToken, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Describe(result.Exception);
        }
        return CheckLifetime((JsonWebToken)result.SecurityToken);
    }

    private string? CheckLifetime(JsonWebToken token)
    {
        var now = timeProvider.GetUtcNow();
        var skew = options.CurrentValue.ClockSkew;
        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            return "no expiry";
        }
        if (now - skew >= DateTimeOffset.FromUnixTimeSeconds(exp))
        {
            return "expired";
        }
        if (token.TryGetPayloadValue<long>("nbf", out var nbf) && now + skew < DateTimeOffset.FromUnixTimeSeconds(nbf))
        {
            return "not yet valid";
        }
        return null;
    }

    /// <summary>A short reason for the log; IdentityModel's own messages are long and may quote token parts.</summary>
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "wrong audience (not this bot's app id)",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenNoExpirationException => "no expiry",
        SecurityTokenInvalidLifetimeException => "invalid lifetime",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed (RS256/384/512 only)",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "bad signature",
        null => "rejected",
        _ => string.Create(CultureInfo.InvariantCulture, $"rejected ({exception.GetType().Name})"),
    };

    private HashSet<string> EmulatorIssuers(BotCloudOptions cloudSettings)
    {
        var issuers = new HashSet<string>(cloudSettings.EmulatorTokenIssuers, StringComparer.Ordinal);
        var current = credentials.CurrentValue;
        // A SingleTenant bot's Emulator tokens come from its own tenant.
        if (current.AppType() == BotAppType.SingleTenant && !string.IsNullOrWhiteSpace(current.MicrosoftAppTenantId))
        {
            foreach (var format in cloudSettings.TenantIssuerFormats)
            {
                issuers.Add(string.Format(CultureInfo.InvariantCulture, format, current.MicrosoftAppTenantId.Trim()));
            }
        }
        return issuers;
    }

    // The ingress stamp replaces any claim of that type the token might carry: only this runtime says where a turn came from.
    private static ClaimsIdentity Identity(JsonWebToken token) =>
        TurnIngresses.Stamp(new(token.Claims, authenticationType: "Bearer", nameType: "appid", roleType: "roles"), TurnIngress.BotConnector);

    private static bool TryReadBearer(string header, out string token)
    {
        token = "";
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }
        // Auth schemes are case-insensitive (RFC 9110 §11.1).
        if (!string.Equals(header[..space], "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        token = header[(space + 1)..].Trim();
        return token.Length > 0 && !token.Contains(' ', StringComparison.Ordinal);
    }
}
