using System.Net;
using BotRuntime.Authentication;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>Either a connector for the turn's replies or the reason none may be made.</summary>
public sealed record ConnectorChoice(IChannelConnector? Connector, string? Refusal)
{
    public static ConnectorChoice Refused(string reason) => new(null, reason);
}

/// <summary>
/// Makes the Bot Connector connector for a turn, deciding first whether replies may go to the activity's
/// serviceUrl at all: the bot's replies (and later its token) must never be steered to a place the
/// caller chose unless the caller proved it is a channel.
/// </summary>
public class BotConnectorFactory(IHttpClientFactory httpClientFactory, IOptionsMonitor<BotOptions> options)
{
    public virtual ConnectorChoice Create(Activity activity, BotAuthenticationResult authentication)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(authentication);
        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || serviceUrl.Scheme is not ("http" or "https"))
        {
            return ConnectorChoice.Refused("the activity has no usable serviceUrl to reply to");
        }
        if (authentication.IsAnonymous && !IsAllowedForAnonymous(serviceUrl))
        {
            return ConnectorChoice.Refused("anonymous requests may only direct replies to loopback or an allow-listed serviceUrl");
        }
        return new ConnectorChoice(CreateConnector(serviceUrl), null);
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
        if (serviceUrl.IsLoopback || (IPAddress.TryParse(serviceUrl.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
        {
            return true;
        }
        var origin = serviceUrl.GetLeftPart(UriPartial.Authority);
        return options.CurrentValue.AnonymousServiceUrls.Exists(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri)
            && string.Equals(allowedUri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase));
    }
}
