using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using BotRuntime.Builder;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotRuntime.DirectLine;

/// <summary>What a Direct Line token says: whose it is and the one conversation it opens.</summary>
public sealed record DirectLineTokenClaims(string UserId, string ConversationId, string? UserName = null, string? BindingId = null, IReadOnlyList<string>? TrustedOrigins = null)
{
    /// <summary>
    /// True for the short-lived token inside a <c>streamUrl</c>: it opens the stream and nothing else, so a stream
    /// URL that ends up in a proxy's log cannot be used to post or to refresh.
    /// </summary>
    public bool StreamOnly { get; init; }

    // The binding id is opaque but still an identifier of a customer's session binding: keep it out of ToString.
    public override string ToString() => $"DirectLineTokenClaims {{ UserId = {UserId}, ConversationId = {ConversationId} }}";
}

/// <summary>How a presented token fared.</summary>
public enum TokenCheck
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// Issues and checks our Direct Line tokens: plain HS256 JWTs (DirectLineJS decodes the token and adopts its
/// <c>user</c> claim) with <c>user</c>, <c>conv</c>, optional <c>bid</c> (opaque binding id), <c>iat</c>,
/// <c>exp</c>, <c>jti</c>. Times come from <see cref="TimeProvider"/>: the library's own clock checks are off.
/// </summary>
public sealed class DirectLineTokens(IOptionsMonitor<DirectLineOptions> options, TimeProvider timeProvider)
{
    private const string Issuer = "ariabot-directline";
    private const string Audience = "directline";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>How long a <c>streamUrl</c> may be used after it was handed out (Azure: 60 s).</summary>
    public static readonly TimeSpan StreamTokenLifetime = TimeSpan.FromSeconds(60);

    public (string Token, int ExpiresIn) Issue(DirectLineTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var lifetime = claims.StreamOnly ? StreamTokenLifetime : settings.TokenLifetime;
        var payload = new Dictionary<string, object>
        {
            ["user"] = claims.UserId,
            ["conv"] = claims.ConversationId,
            [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        };
        if (claims.UserName is { Length: > 0 })
        {
            payload["name"] = claims.UserName;
        }
        if (claims.BindingId is { Length: > 0 })
        {
            payload["bid"] = claims.BindingId;
        }
        if (claims.TrustedOrigins is { Count: > 0 })
        {
            payload["origins"] = claims.TrustedOrigins.ToArray();
        }
        if (claims.StreamOnly)
        {
            payload["scp"] = "stream";
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = payload,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(settings.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };
        return (Handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }

    public async Task<(TokenCheck Check, DirectLineTokenClaims? Claims)> ValidateAsync(string token)
    {
        var settings = options.CurrentValue;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = new SymmetricSecurityKey(settings.SigningKeyBytes()),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            // Lifetime is checked below against TimeProvider, the clock the rest of the bot uses.
            ValidateLifetime = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        TokenValidationResult result;
        try
        {
            result = await Handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return (TokenCheck.Invalid, null);
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (TokenCheck.Invalid, null);
        }
        if (!jwt.TryGetPayloadValue<string>("user", out var user) || string.IsNullOrEmpty(user)
            || !jwt.TryGetPayloadValue<string>("conv", out var conversation) || string.IsNullOrEmpty(conversation))
        {
            return (TokenCheck.Invalid, null);
        }
        jwt.TryGetPayloadValue<string>("name", out var name);
        jwt.TryGetPayloadValue<string>("bid", out var bindingId);
        var origins = jwt.Claims.Where(claim => claim.Type == "origins").Select(claim => claim.Value).ToList();
        jwt.TryGetPayloadValue<string>("scp", out var scope);
        var claims = new DirectLineTokenClaims(user, conversation, name, bindingId, origins) { StreamOnly = scope == "stream" };
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        return timeProvider.GetUtcNow() >= expires ? (TokenCheck.Expired, claims) : (TokenCheck.Valid, claims);
    }

    /// <summary>Whether <paramref name="candidate"/> is one of the configured secrets, compared in constant time.</summary>
    public bool IsSecret(string candidate)
    {
        var given = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(candidate));
        var match = false;
        foreach (var secret in options.CurrentValue.Secrets)
        {
            // Hashing first makes the comparison length-independent; every secret is compared so timing says nothing.
            match |= CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
        }
        return match;
    }

    internal static ClaimsIdentity Identity(string userId, string? bindingId, bool viaSecret)
    {
        var identity = new ClaimsIdentity(viaSecret ? "DirectLineSecret" : "DirectLineToken");
        TurnIngresses.Stamp(identity, TurnIngress.DirectLine);
        identity.AddClaim(new Claim(DirectLineClaimTypes.User, userId));
        if (bindingId is { Length: > 0 })
        {
            identity.AddClaim(new Claim(DirectLineClaimTypes.BindingId, bindingId));
        }
        return identity;
    }

    internal static string? JsonString(JsonElement? element) => element is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}

/// <summary>Claims of the identity a Direct Line turn runs with (<c>ITurnContext.TurnState[ChannelAdapter.IdentityKey]</c>).</summary>
public static class DirectLineClaimTypes
{
    /// <summary>The user id the token (or the secret-authenticated caller) established.</summary>
    public const string User = "directline:user";

    /// <summary>The opaque binding id issued with the token, when the portal bound a session.</summary>
    public const string BindingId = "directline:bid";
}
