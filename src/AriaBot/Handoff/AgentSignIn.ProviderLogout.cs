using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace AriaBot.Handoff;

/// <summary>The provider session a console session began in: the id token's <c>iss</c>, <c>sid</c> (if any) and <c>sub</c>.</summary>
internal sealed record ProviderSession(string Issuer, string? Sid, string Subject);

/// <summary>
/// Logout started by the OpenID Connect provider: front-channel (<c>/signout-oidc?iss=…&amp;sid=…</c>) and back-channel
/// (a <c>logout_token</c>, <see cref="AgentBackChannelLogout"/>). The console's cookie is <c>SameSite=Strict</c> on
/// <c>/agent</c>, so neither request carries it: the console sessions to end are found by the provider's session
/// instead. Each session begun through the provider is indexed by its id token's <c>iss</c> + <c>sid</c>
/// (<c>handoff/agent-sessions-by-sid/{hash}/{session id}</c>) and <c>iss</c> + <c>sub</c>
/// (<c>handoff/agent-sessions-by-sub/{hash}/{session id}</c>), written with the session record, expiring with it and
/// deleted with it (console sign-out or provider logout); the logout deletes those session records, and every copy of
/// their cookie is refused from the next request on.
/// </summary>
public sealed partial class AgentSignIn
{
    private const string BySidPrefix = "handoff/agent-sessions-by-sid/";
    private const string BySubPrefix = "handoff/agent-sessions-by-sub/";

    /// <summary>No more console sessions than this are ended per provider session or subject (one per browser that signed in).</summary>
    private const int MaxSessionsPerProviderSession = 100;

    private sealed record ProviderSessionLink(string SessionId);

    /// <summary>Ends every console session begun in the provider's session <paramref name="sid"/> of <paramref name="issuer"/>
    /// (only those of <paramref name="agentId"/> when given); returns how many there were.</summary>
    internal Task<int> EndProviderSessionAsync(string issuer, string sid, string? agentId, CancellationToken cancellationToken) =>
        EndIndexedSessionsAsync(BySidPrefix + Hash(issuer + "\n" + sid) + "/", agentId, cancellationToken);

    /// <summary>Ends every console session of the provider's user <paramref name="subject"/> of <paramref name="issuer"/>; returns how many there were.</summary>
    internal Task<int> EndProviderSubjectAsync(string issuer, string subject, CancellationToken cancellationToken) =>
        EndIndexedSessionsAsync(BySubPrefix + Hash(issuer + "\n" + subject) + "/", agentId: null, cancellationToken);

    private static List<string> ProviderLinks(ProviderSession provider, string sessionId)
    {
        var links = new List<string> { BySubPrefix + Hash(provider.Issuer + "\n" + provider.Subject) + "/" + sessionId };
        if (!string.IsNullOrEmpty(provider.Sid))
        {
            links.Add(BySidPrefix + Hash(provider.Issuer + "\n" + provider.Sid) + "/" + sessionId);
        }
        return links;
    }

    private async Task<int> EndIndexedSessionsAsync(string prefix, string? agentId, CancellationToken cancellationToken)
    {
        var links = await storage.ReadPrefixAsync(prefix, MaxSessionsPerProviderSession, cancellationToken).ConfigureAwait(false);
        if (links.Count == 0)
        {
            return 0;
        }
        var sessionKeys = links.Select(link => SessionPrefix + link.Key[(link.Key.LastIndexOf('/') + 1)..]).ToList();
        var records = await storage.ReadAsync(sessionKeys, cancellationToken).ConfigureAwait(false);
        var doomed = new List<string>();
        var ended = 0;
        for (var i = 0; i < links.Count; i++)
        {
            if (!records.TryGetValue(sessionKeys[i], out var item))
            {
                // The session is gone already (an entry written before sessions deleted theirs): only the entry goes.
                doomed.Add(links[i].Key);
                continue;
            }
            var session = item.Document.Deserialize<AgentSession>(StateJson.Options);
            if (session is null || (agentId is not null && !string.Equals(session.AgentId, agentId, StringComparison.Ordinal)))
            {
                continue;
            }
            doomed.Add(sessionKeys[i]);
            doomed.Add(links[i].Key);
            doomed.AddRange(session.Links ?? []);
            ended++;
        }
        await storage.DeleteAsync([.. doomed.Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        LogProviderLogout(ended);
        return ended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The OpenID Connect provider ended an agent's session: {Count} console session(s) ended")]
    private partial void LogProviderLogout(int count);
}
