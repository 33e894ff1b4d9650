using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace BotRuntime.Slack;

/// <summary>Makes the connector of one Slack turn: the Web API client on <see cref="SlackOptions.ApiBaseUrl"/> with the bot token.</summary>
public sealed class SlackConnectorFactory(IHttpClientFactory httpClientFactory, IOptionsMonitor<SlackOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
{
    public const string HttpClientName = "BotRuntime.Slack";

    public SlackConnector Create(string channel, string? threadTs)
    {
        var api = RestService.ForGenerated<ISlackWebApi>(httpClientFactory.CreateClient(HttpClientName), SlackJsonContext.Default);
        return new SlackConnector(api, channel, threadTs, options.CurrentValue, timeProvider, loggerFactory.CreateLogger<SlackConnector>());
    }
}
