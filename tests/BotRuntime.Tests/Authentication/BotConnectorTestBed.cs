using System.Net.Http.Headers;
using System.Text;
using BotRuntime.Authentication;
using BotRuntime.Schema;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotRuntime.Tests.Authentication;

/// <summary>
/// A bot host configured as for Azure Bot Service, with everything it talks to played locally: the OpenID issuers,
/// the Azure AD token endpoint, and a channel's reply endpoints.
/// </summary>
internal sealed class BotConnectorTestBed : IAsyncDisposable
{
    private BotConnectorTestBed(StandInOpenIdIssuer issuer, StandInTokenEndpoint tokens, StandInChannel channel, RecordingBot bot, BotTestHost host)
    {
        Issuer = issuer;
        Tokens = tokens;
        Channel = channel;
        Bot = bot;
        Host = host;
    }

    public StandInOpenIdIssuer Issuer { get; }
    public StandInTokenEndpoint Tokens { get; }
    public StandInChannel Channel { get; }
    public RecordingBot Bot { get; }
    public BotTestHost Host { get; }

    public FakeLogCollector Logs => Host.App.Services.GetRequiredService<FakeLogCollector>();

    public TimeProvider Clock => Host.App.Services.GetRequiredService<TimeProvider>();

    public string ServiceUrl => Channel.ServiceUrl.AbsoluteUri;

    /// <summary>Settings of a MultiTenant bot pointed at the local stand-ins, with tiny retry delays.</summary>
    public static Dictionary<string, string?> Settings(StandInOpenIdIssuer issuer, StandInTokenEndpoint tokens) => new()
    {
        ["MicrosoftAppId"] = StandInOpenIdIssuer.AppId,
        ["MicrosoftAppPassword"] = "s3cr3t-client-secret",
        ["Bot:CloudSettings:ChannelOpenIdMetadataUrl"] = issuer.ChannelMetadataUrl,
        ["Bot:CloudSettings:EmulatorOpenIdMetadataUrl"] = issuer.EmulatorMetadataUrl,
        ["Bot:CloudSettings:LoginEndpoint"] = tokens.LoginEndpoint,
        ["Bot:CloudSettings:ValidateAuthority"] = "false",
        ["Bot:ConnectorRetryDelay"] = "00:00:00.010",
    };

    public static async Task<BotConnectorTestBed> StartAsync(Action<Dictionary<string, string?>>? settings = null, TimeProvider? clock = null, string environment = "Production")
    {
        var issuer = await StandInOpenIdIssuer.StartAsync();
        var tokens = await StandInTokenEndpoint.StartAsync();
        var channel = await StandInChannel.StartAsync();
        var values = Settings(issuer, tokens);
        settings?.Invoke(values);
        var bot = new RecordingBot();
        var host = await BotTestHost.StartAsync(bot, environment, values, builder =>
        {
            builder.Logging.AddFakeLogging();
            builder.Services.AddHttpClient(MsalBotTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(tokens.CreateHandler);
            // The stand-in issuer shares the machine with the whole suite: on a loaded CI box its answer can take longer
            // than production's 10 s, and a failed key fetch would read as a rejected token.
            builder.Services.AddHttpClient(SigningKeyCache.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(60));
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        });
        return new BotConnectorTestBed(issuer, tokens, channel, bot, host);
    }

    public Activity Message(string text = "hello", string id = "a1", string conversation = "c1", string channelId = "test", string? serviceUrl = null) => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = channelId,
        ServiceUrl = serviceUrl ?? ServiceUrl,
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = "user-1", Name = "Ana" },
        Recipient = new ChannelAccount { Id = "bot", Name = "Bot" },
        Text = text,
        DeliveryMode = DeliveryModes.Normal,
    };

    /// <summary>Posts to /api/messages with the Authorization header exactly as given (null: none).</summary>
    public Task<HttpResponseMessage> PostAsync(Activity activity, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(BotJson.Serialize(activity), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return Host.Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostWithChannelTokenAsync(Activity activity) =>
        PostAsync(activity, "Bearer " + Issuer.ChannelToken(activity.ServiceUrl, Clock.GetUtcNow()));

    /// <summary>The Warning lines /api/messages wrote when it refused a request.</summary>
    public List<string> RefusalLines() =>
        [.. Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.StartsWith("Refused an /api/messages request", StringComparison.Ordinal)).Select(r => r.Message)];

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Channel.DisposeAsync();
        await Tokens.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
