using System.Net.Http.Headers;
using BotRuntime.Authentication;
using BotRuntime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Connector;

/// <summary>
/// The last handler before the wire on the <see cref="BotConnectorConnector.HttpClientName"/> client: it adds the
/// bot's token only when the request goes to a serviceUrl trusted for the request's conversation
/// (<see cref="ServiceUrlTrust"/>). Because it checks the final request URI itself, no caller can get the token
/// sent elsewhere — whatever base address, path or header it sets.
/// </summary>
public sealed partial class BotConnectorAuthorizationHandler(
    ServiceUrlTrust trust,
    IBotTokenProvider tokenProvider,
    IOptionsMonitor<BotCredentialsOptions> credentials,
    ILogger<BotConnectorAuthorizationHandler> logger) : DelegatingHandler
{
    public const string ChannelIdOptionName = "BotRuntime.ChannelId";
    public const string ConversationIdOptionName = "BotRuntime.ConversationId";

    /// <summary>The channel of the conversation a request is made for (set by the connector on each request).</summary>
    public static readonly HttpRequestOptionsKey<string> ChannelIdOption = new(ChannelIdOptionName);

    /// <summary>The conversation a request is made for (set by the connector on each request).</summary>
    public static readonly HttpRequestOptionsKey<string> ConversationIdOption = new(ConversationIdOptionName);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Credentials on this client come from here only: anything set earlier in the pipeline is dropped.
        request.Headers.Authorization = null;
        if (credentials.CurrentValue.HasAppId && request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            request.Options.TryGetValue(ChannelIdOption, out var channelId);
            request.Options.TryGetValue(ConversationIdOption, out var conversationId);
            if (await trust.MayReceiveTokenAsync(channelId, conversationId, uri, cancellationToken).ConfigureAwait(false))
            {
                var token = await tokenProvider.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            else
            {
                LogUntrusted(logger, uri.GetLeftPart(UriPartial.Authority), channelId);
            }
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not sending the bot's token to {Origin} (channel {ChannelId}): not the authenticated serviceUrl of the conversation, nor on Bot:TrustedServiceUrls")]
    private static partial void LogUntrusted(ILogger logger, string origin, string? channelId);
}
