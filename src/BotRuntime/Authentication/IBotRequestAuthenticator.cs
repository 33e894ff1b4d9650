using System.Security.Claims;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.Authentication;

/// <summary>Who sent an activity to <c>/api/messages</c>, as far as the request proves it.</summary>
public sealed record BotAuthenticationResult
{
    public bool Succeeded { get; private init; }
    public bool IsAnonymous { get; private init; }
    public ClaimsIdentity? Identity { get; private init; }
    /// <summary>Why the request was refused: for the log only, never for the caller.</summary>
    public string? FailureReason { get; private init; }
    /// <summary>The <c>callerId</c> to stamp on the activity after success (never taken from the wire).</summary>
    public string? CallerId { get; private init; }

    /// <summary>
    /// Nothing was proven. The identity carries only the <see cref="TurnIngress.Anonymous"/> stamp, so the bot can tell
    /// such a turn from an authenticated one whatever the activity claims (<c>channelId</c>, <c>from.id</c>).
    /// A new instance each time: a turn's identity is never shared with another turn.
    /// </summary>
    public static BotAuthenticationResult Anonymous => new() { Succeeded = true, IsAnonymous = true, Identity = TurnIngresses.Unauthenticated(TurnIngress.Anonymous) };

    public static BotAuthenticationResult Authenticated(ClaimsIdentity identity, string? callerId) =>
        new() { Succeeded = true, Identity = identity, CallerId = callerId };

    public static BotAuthenticationResult Fail(string reason) => new() { FailureReason = reason };
}

/// <summary>Decides whether an <c>/api/messages</c> request may run a turn.</summary>
public interface IBotRequestAuthenticator
{
    Task<BotAuthenticationResult> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken);
}
