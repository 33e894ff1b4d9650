using BotRuntime.Authentication;
using BotRuntime.Connector;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotRuntime.Tests.Authentication;

public sealed class BotConfigurationTests
{
    private const string AppId = "5a1e0b9c-0d6f-4c53-9d0e-2f4f3e3b1a10";
    private const string Tenant = "3c1a2b4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d";

    public static TheoryData<string?, string?, string?, string?, string> BadCredentials() => new()
    {
        { AppId, "secret", "Multitenant2", null, "MicrosoftAppType 'Multitenant2' is unknown: use MultiTenant, SingleTenant or UserAssignedMSI." },
        { AppId, null, "MultiTenant", null, "MicrosoftAppType MultiTenant needs MicrosoftAppPassword" },
        { AppId, null, null, null, "MicrosoftAppType MultiTenant needs MicrosoftAppPassword" },
        { AppId, "secret", "SingleTenant", null, "MicrosoftAppType SingleTenant needs MicrosoftAppTenantId" },
        { AppId, null, "SingleTenant", Tenant, "MicrosoftAppType SingleTenant needs MicrosoftAppPassword" },
        { AppId, null, "UserAssignedMSI", null, "MicrosoftAppType UserAssignedMSI needs MicrosoftAppTenantId" },
        { AppId, "secret", "UserAssignedMSI", Tenant, "MicrosoftAppType UserAssignedMSI must not have a MicrosoftAppPassword" },
        { null, "secret", null, null, "MicrosoftAppPassword is set but MicrosoftAppId is empty" },
        { AppId, "secret", "SingleTenant", "contoso.onmicrosoft.com/evil", "MicrosoftAppTenantId must be a tenant id or domain" },
    };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task A_bot_with_unusable_credentials_refuses_to_start_with_a_clear_message(string? appId, string? password, string? type, string? tenant, string message)
    {
        // Other options that read the credentials (the anonymous policy) fail with the same message, so start-up
        // may report it in an AggregateException.
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => BotTestHost.StartAsync(new RecordingBot(), environment: "Production", settings: new()
        {
            ["MicrosoftAppId"] = appId,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppType"] = type,
            ["MicrosoftAppTenantId"] = tenant,
            ["Bot:AllowAnonymous"] = "true",
        }));
        Assert.True(failure is OptionsValidationException or AggregateException { InnerExceptions: [OptionsValidationException, ..] }, failure.ToString());
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "secret", null)]
    [InlineData("MultiTenant", "secret", null)]
    [InlineData("multitenant", "secret", null)]
    [InlineData("SingleTenant", "secret", Tenant)]
    [InlineData("UserAssignedMSI", null, Tenant)]
    public async Task Each_app_type_starts_with_what_it_needs(string? type, string? password, string? tenant)
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), environment: "Production", settings: new()
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppType"] = type,
            ["MicrosoftAppTenantId"] = tenant,
        });
        Assert.NotNull(host.App.Services.GetRequiredService<IBotRequestAuthenticator>());
    }

    [Fact]
    public async Task Template_style_empty_keys_run_anonymously_in_development()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), settings: new()
        {
            ["MicrosoftAppId"] = "",
            ["MicrosoftAppPassword"] = "",
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppTenantId"] = "",
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PostAsync(BotTestHost.Message("hi"))).StatusCode);
    }

    [Fact]
    public async Task The_public_cloud_is_the_default()
    {
        var cloud = await CloudAsync([]);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", cloud.ChannelOpenIdMetadataUrl);
        Assert.Equal("https://api.botframework.com", cloud.ChannelTokenIssuer);
        Assert.Equal("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", cloud.EmulatorOpenIdMetadataUrl);
        Assert.Equal("https://login.microsoftonline.com/botframework.com", cloud.AuthorityFor(cloud.ChannelAuthTenant));
        Assert.Equal("https://api.botframework.com/.default", cloud.ConnectorScope);
        Assert.Equal("urn:botframework:azure", cloud.CallerId);
        Assert.Contains("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", cloud.EmulatorTokenIssuers);
        Assert.Contains("https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0", cloud.EmulatorTokenIssuers);
    }

    [Fact]
    public async Task The_us_gov_preset_switches_every_endpoint()
    {
        var cloud = await CloudAsync(new() { ["Bot:Cloud"] = "USGov" });
        Assert.Equal("https://login.botframework.azure.us/v1/.well-known/openidconfiguration", cloud.ChannelOpenIdMetadataUrl);
        Assert.Equal("https://api.botframework.us", cloud.ChannelTokenIssuer);
        Assert.Equal("https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us", cloud.AuthorityFor(cloud.ChannelAuthTenant));
        Assert.Equal("https://api.botframework.us/.default", cloud.ConnectorScope);
        Assert.Equal("urn:botframework:azureusgov", cloud.CallerId);
        Assert.Contains("https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0", cloud.EmulatorTokenIssuers);
        Assert.DoesNotContain("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", cloud.EmulatorTokenIssuers);
    }

    [Fact]
    public async Task Single_settings_override_the_preset_and_a_configured_list_replaces_the_presets()
    {
        var cloud = await CloudAsync(new()
        {
            ["Bot:Cloud"] = "USGov",
            ["Bot:CloudSettings:ChannelOpenIdMetadataUrl"] = "http://127.0.0.1:5999/v1/.well-known/openidconfiguration",
            ["Bot:CloudSettings:EmulatorTokenIssuers:0"] = "https://issuer.example/",
        });
        Assert.Equal("http://127.0.0.1:5999/v1/.well-known/openidconfiguration", cloud.ChannelOpenIdMetadataUrl);
        Assert.Equal("https://api.botframework.us", cloud.ChannelTokenIssuer);
        Assert.Equal(["https://issuer.example/"], cloud.EmulatorTokenIssuers);
        Assert.Equal(BotCloudOptions.USGov, cloud.Cloud);
    }

    [Theory]
    [InlineData("Bot:Cloud", "China", "Bot:Cloud 'China' is unknown")]
    [InlineData("Bot:CloudSettings:ChannelOpenIdMetadataUrl", "http://login.example.com/v1/.well-known/openidconfiguration", "ChannelOpenIdMetadataUrl must be an absolute https URL")]
    [InlineData("Bot:CloudSettings:LoginEndpoint", "login.microsoftonline.com", "LoginEndpoint must be an absolute https URL")]
    [InlineData("Bot:TrustedServiceUrls:0", "http://smba.trafficmanager.net/", "Bot:TrustedServiceUrls entries must be absolute https URLs")]
    [InlineData("Bot:ConnectorMaxRetries", "50", "ConnectorMaxRetries")]
    public async Task Bad_cloud_or_connector_settings_refuse_to_start(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => BotTestHost.StartAsync(new RecordingBot(), settings: new() { [key] = value }));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trusted_service_urls_default_to_none()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot());
        Assert.Empty(host.App.Services.GetRequiredService<IOptions<BotConnectorOptions>>().Value.TrustedServiceUrls);
    }

    private static async Task<BotCloudOptions> CloudAsync(Dictionary<string, string?> settings)
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), settings: settings);
        return host.App.Services.GetRequiredService<IOptions<BotCloudOptions>>().Value;
    }
}
