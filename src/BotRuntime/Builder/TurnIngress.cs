using System.Security.Claims;

namespace BotRuntime.Builder;

/// <summary>
/// Which door of this runtime a turn came through. Each ingress authenticates (or does not) in its own way, so
/// anything that grants authority to a chat user (a session binding, a pending sign-in) must be kept per ingress:
/// an identity proven by one door says nothing about a caller at another.
/// </summary>
/// <remarks>Stored by name (e.g. on session bindings): never rename a member.</remarks>
public enum TurnIngress
{
    /// <summary>Not stamped by any ingress (a proactive turn, a bare adapter). Grants nothing.</summary>
    Unknown = 0,

    /// <summary>This runtime's own Direct Line 3.0 (<c>/v3/directline</c>): the user is the token's (or the secret holder's).</summary>
    DirectLine,

    /// <summary><c>/api/messages</c> with a valid Bot Connector JWT (Azure's Direct Line and Web Chat, Teams, Slack through Azure, the Emulator with credentials).</summary>
    BotConnector,

    /// <summary><c>/api/messages</c> without authentication (Development, or <c>Bot:AllowAnonymous</c>): every id in the activity is the caller's choice.</summary>
    Anonymous,

    /// <summary>Slack's Events API, signed with the Slack signing secret (reserved for the Slack ingress).</summary>
    SlackEvents,
}

/// <summary>
/// Reads and writes the ingress of a turn. Each ingress stamps the <see cref="ClaimsIdentity"/> it hands to
/// <see cref="ChannelAdapter"/> (<see cref="ChannelAdapter.IdentityKey"/>) with <see cref="ClaimType"/>; nothing
/// in the activity JSON can set or change it, and a claim of that type arriving from outside (e.g. inside a
/// channel's JWT) is dropped before the stamp.
/// </summary>
public static class TurnIngresses
{
    /// <summary>The claim an ingress puts on the turn's identity.</summary>
    public const string ClaimType = "botruntime:ingress";

    /// <summary>The ingress of this turn; <see cref="TurnIngress.Unknown"/> when no ingress stamped it.</summary>
    public static TurnIngress Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return Of(turnContext.TurnState.Get<ClaimsIdentity>(ChannelAdapter.IdentityKey));
    }

    /// <summary>The ingress stamped on <paramref name="identity"/>; <see cref="TurnIngress.Unknown"/> without exactly one valid stamp.</summary>
    public static TurnIngress Of(ClaimsIdentity? identity)
    {
        var claims = identity?.FindAll(ClaimType).ToList();
        if (claims is not { Count: 1 }
            || !Enum.TryParse<TurnIngress>(claims[0].Value, ignoreCase: false, out var ingress)
            || !Enum.IsDefined(ingress)
            || claims[0].Value != ingress.ToString())
        {
            return TurnIngress.Unknown;
        }
        return ingress;
    }

    /// <summary>Stamps <paramref name="identity"/> with <paramref name="ingress"/>, dropping any stamp it already carried.</summary>
    public static ClaimsIdentity Stamp(ClaimsIdentity identity, TurnIngress ingress)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var claim in identity.FindAll(ClaimType).ToList())
        {
            identity.RemoveClaim(claim);
        }
        identity.AddClaim(new Claim(ClaimType, ingress.ToString()));
        return identity;
    }

    /// <summary>An identity that proves nothing but which ingress the turn came through (e.g. anonymous <c>/api/messages</c>).</summary>
    public static ClaimsIdentity Unauthenticated(TurnIngress ingress) => Stamp(new ClaimsIdentity(), ingress);
}
