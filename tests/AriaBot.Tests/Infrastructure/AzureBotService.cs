using BotRuntime.Tests.Authentication;

namespace AriaBot.Tests;

/// <summary>
/// Azure Bot Service mode for an <see cref="AssistantTestHost"/>: the bot has an app id, and <c>/api/messages</c>
/// accepts only channel JWTs that the stand-in OpenID issuer (shared with BotRuntime.Tests) signed, with a key
/// endorsed for Azure's Direct Line and Web Chat channels. So a turn here is authenticated exactly as Azure's would be.
/// </summary>
internal sealed class AzureBotService : IAsyncDisposable
{
    public const string ServiceUrl = "https://webchat.botframework.com/";

    private readonly StandInOpenIdIssuer _issuer;
    private readonly StandInOpenIdIssuer.SigningKey _webChatKey = new("azure-web-chat-key", ["webchat", "directline"]);

    private AzureBotService(StandInOpenIdIssuer issuer)
    {
        _issuer = issuer;
        _issuer.Publish(_issuer.ChannelKeys, _webChatKey);
    }

    public static async Task<AzureBotService> StartAsync() => new(await StandInOpenIdIssuer.StartAsync());

    /// <summary>The host settings of a bot registered with Azure Bot Service (its app id and the issuer's metadata).</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = StandInOpenIdIssuer.AppId,
            ["MicrosoftAppPassword"] = "s3cr3t-client-secret",
            ["MicrosoftAppType"] = "MultiTenant",
            ["Bot:CloudSettings:ChannelOpenIdMetadataUrl"] = _issuer.ChannelMetadataUrl,
            ["Bot:CloudSettings:EmulatorOpenIdMetadataUrl"] = _issuer.EmulatorMetadataUrl,
            ["Bot:CloudSettings:ValidateAuthority"] = "false",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The bearer token Azure's Direct Line / Web Chat channel sends with an activity for <see cref="ServiceUrl"/>.</summary>
    public string ChannelToken(DateTimeOffset now) => _issuer.ChannelToken(ServiceUrl, now, key: _webChatKey);

    public ValueTask DisposeAsync() => _issuer.DisposeAsync();
}
