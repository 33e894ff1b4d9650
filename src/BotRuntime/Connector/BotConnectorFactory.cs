using BotRuntime.Authentication;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.Teams;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>Either a connector for the turn's replies or the reason none may be made.</summary>
public sealed record ConnectorChoice(IChannelConnector? Connector, string? Refusal)
{
    public static ConnectorChoice Refused(string reason) => new(null, reason);
}

/// <summary>
/// Makes the Bot Connector connector for a turn, deciding first whether replies may go to the activity's
/// serviceUrl at all: the bot's replies (and its token) must never be steered to a place the caller chose unless
/// the caller proved it is a channel. Whether a request carries the token is decided again, per request, by
/// <see cref="BotConnectorAuthorizationHandler"/>.
/// </summary>
public class BotConnectorFactory(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<BotOptions> options,
    ServiceUrlTrust trust,
    IOptionsMonitor<BotCredentialsOptions> credentials,
    IOptionsMonitor<TeamsOptions> teams)
{
    public virtual ConnectorChoice Create(Activity activity, BotAuthenticationResult authentication)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(authentication);
        if (!TryServiceUrl(activity.ServiceUrl, out var serviceUrl))
        {
            return ConnectorChoice.Refused("the activity has no usable serviceUrl to reply to");
        }
        if (!authentication.Succeeded)
        {
            return ConnectorChoice.Refused("the request was not authenticated");
        }
        if (authentication.IsAnonymous && !IsAllowedForAnonymous(serviceUrl))
        {
            return ConnectorChoice.Refused("anonymous requests may only direct replies to loopback or an allow-listed serviceUrl");
        }
        // An authenticated request's serviceUrl was recorded as trusted for its conversation while it was authenticated.
        return new ConnectorChoice(CreateConnector(serviceUrl), null);
    }

    /// <summary>
    /// A connector for a stored conversation (proactive messages, handoff relays). Only for a serviceUrl that an
    /// authenticated request recorded for that very conversation, or an allow-listed one; a bot without an app id
    /// (which sends no token) may also reach loopback and <c>Bot:AnonymousServiceUrls</c>.
    /// </summary>
    public virtual async Task<ConnectorChoice> ForReferenceAsync(ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!TryServiceUrl(reference.ServiceUrl, out var serviceUrl))
        {
            return ConnectorChoice.Refused("the conversation reference has no usable serviceUrl");
        }
        if (string.IsNullOrEmpty(reference.ChannelId) || string.IsNullOrEmpty(reference.Conversation?.Id))
        {
            return ConnectorChoice.Refused("the conversation reference names no channel or conversation");
        }
        // Teams:AllowedTenants holds for what the bot starts, not only for what it answers.
        if (reference.ChannelId == Channels.Msteams && !teams.CurrentValue.IsTenantAllowed(TeamsActivity.TenantId(reference)))
        {
            return ConnectorChoice.Refused("the Teams conversation belongs to a tenant that is not on Teams:AllowedTenants");
        }
        if (await trust.IsTrustedServiceUrlAsync(reference.ChannelId, reference.Conversation.Id, serviceUrl, cancellationToken).ConfigureAwait(false)
            || (!credentials.CurrentValue.HasAppId && IsAllowedForAnonymous(serviceUrl)))
        {
            return new ConnectorChoice(CreateConnector(serviceUrl), null);
        }
        return ConnectorChoice.Refused("the reference's serviceUrl was not authenticated for this conversation and is not on Bot:TrustedServiceUrls");
    }

    protected BotConnectorConnector CreateConnector(Uri serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        var client = httpClientFactory.CreateClient(BotConnectorConnector.HttpClientName);
        client.BaseAddress = serviceUrl.AbsoluteUri.EndsWith('/') ? serviceUrl : new Uri(serviceUrl.AbsoluteUri + "/");
        return new BotConnectorConnector(client) { ServiceUrl = serviceUrl };
    }

    public bool IsAllowedForAnonymous(Uri serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        if (EndpointRules.IsLoopback(serviceUrl))
        {
            return true;
        }
        var origin = serviceUrl.GetLeftPart(UriPartial.Authority);
        return options.CurrentValue.AnonymousServiceUrls.Exists(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri)
            && string.Equals(allowedUri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase));
    }

    private static bool TryServiceUrl(string? value, out Uri serviceUrl) =>
        Uri.TryCreate(value, UriKind.Absolute, out serviceUrl!) && serviceUrl.Scheme is "http" or "https" && string.IsNullOrEmpty(serviceUrl.UserInfo);
}
