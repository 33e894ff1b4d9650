using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace AriaBot.Handoff;

/// <summary>
/// Logout started by the OpenID Connect provider (front-channel, <c>/signout-oidc?iss=…&amp;sid=…</c>). The console's
/// cookie is <c>SameSite=Strict</c> on <c>/agent</c>, so the provider's frame never carries it: the console sessions to end
/// are found by the provider's session instead. Each session begun through the provider is indexed by its id token's
/// <c>iss</c> and <c>sid</c> (<c>handoff/agent-sessions-by-sid/{hash}/{session id}</c>, as long-lived as the session);
/// the logout deletes those session records, and every copy of their cookie is refused from the next request on.
/// </summary>
public sealed partial class AgentSignIn
{
    private const string ByProviderSessionPrefix = "handoff/agent-sessions-by-sid/";

    /// <summary>No more console sessions than this are ended per provider session (one per browser that signed in).</summary>
    private const int MaxSessionsPerProviderSession = 100;

    private sealed record ProviderSessionLink(string SessionId);

    /// <summary>Remembers that console session <paramref name="sessionId"/> began in the provider's session <paramref name="sid"/>.</summary>
    internal async Task IndexProviderSessionAsync(string sessionId, string issuer, string sid, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await storage.WriteAsync(ProviderSessionPrefix(issuer, sid) + sessionId, new ProviderSessionLink(sessionId), eTag: null, now + AbsoluteSessionLifetime, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Ends every console session begun in the provider's session <paramref name="sid"/> of <paramref name="issuer"/>; returns how many there were.</summary>
    internal async Task<int> EndProviderSessionAsync(string issuer, string sid, CancellationToken cancellationToken)
    {
        var links = await storage.ReadPrefixAsync(ProviderSessionPrefix(issuer, sid), MaxSessionsPerProviderSession, cancellationToken).ConfigureAwait(false);
        if (links.Count == 0)
        {
            return 0;
        }
        var sessionIds = links.Select(link => link.Key[(link.Key.LastIndexOf('/') + 1)..]).ToList();
        await storage.DeleteAsync([.. sessionIds.Select(id => "handoff/agent-sessions/" + id), .. links.Select(link => link.Key)], cancellationToken).ConfigureAwait(false);
        LogProviderLogout(sessionIds.Count);
        return sessionIds.Count;
    }

    private static string ProviderSessionPrefix(string issuer, string sid) => ByProviderSessionPrefix + Hash(issuer + "\n" + sid) + "/";

    [LoggerMessage(Level = LogLevel.Information, Message = "The OpenID Connect provider ended an agent's session: {Count} console session(s) ended")]
    private partial void LogProviderLogout(int count);
}
