using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotRuntime.Authentication;

/// <summary>
/// The Azure cloud the bot is registered in: where channel and Emulator signing keys come from, which issuers
/// are trusted, where the bot gets its own token and what it is for. <c>Bot:Cloud</c> picks a preset
/// (<c>Public</c>, the default, or <c>USGov</c>); any single value can then be overridden under
/// <c>Bot:CloudSettings</c> (tests point the endpoints at local stand-ins that way). A list given under
/// <c>Bot:CloudSettings</c> replaces the preset's list rather than adding to it.
/// </summary>
public sealed class BotCloudOptions
{
    public const string PresetKey = "Bot:Cloud";
    public const string SectionName = "Bot:CloudSettings";
    public const string Public = "Public";
    public const string USGov = "USGov";

    /// <summary>The preset these values started from. Default <c>Public</c>.</summary>
    public string Cloud { get; set; } = Public;

    /// <summary>
    /// OpenID metadata of the Bot Connector service, whose keys sign channel tokens.
    /// Public default <c>https://login.botframework.com/v1/.well-known/openidconfiguration</c>;
    /// US Gov <c>https://login.botframework.azure.us/v1/.well-known/openidconfiguration</c>.
    /// </summary>
    public string ChannelOpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The <c>iss</c> of channel tokens. Public default <c>https://api.botframework.com</c>; US Gov <c>https://api.botframework.us</c>.</summary>
    public string ChannelTokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>
    /// OpenID metadata whose keys sign Emulator tokens (Azure AD). Public default
    /// <c>https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration</c>; US Gov
    /// <c>https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration</c>.
    /// </summary>
    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>
    /// Issuers of Emulator tokens (v1 and v2, per Bot Framework tenant). Public default: the botframework.com
    /// tenant <c>d6d49420-…</c> and <c>f8cdef31-…</c>, each as <c>https://sts.windows.net/{t}/</c> and
    /// <c>https://login.microsoftonline.com/{t}/v2.0</c>. US Gov: <c>cab8a31a-…</c> and <c>f8cdef31-…</c> on the <c>.us</c> hosts.
    /// </summary>
    public List<string> EmulatorTokenIssuers { get; set; } = [.. PublicEmulatorIssuers];

    /// <summary>
    /// How a SingleTenant bot's own tenant appears as an Emulator token issuer; <c>{0}</c> is <c>MicrosoftAppTenantId</c>.
    /// Public default <c>https://sts.windows.net/{0}/</c> and <c>https://login.microsoftonline.com/{0}/v2.0</c>;
    /// US Gov <c>https://sts.windows.net/{0}/</c> and <c>https://login.microsoftonline.us/{0}/v2.0</c>.
    /// </summary>
    public List<string> TenantIssuerFormats { get; set; } = ["https://sts.windows.net/{0}/", "https://login.microsoftonline.com/{0}/v2.0"];

    /// <summary>The Azure AD instance the bot's token comes from. Public default <c>https://login.microsoftonline.com</c>; US Gov <c>https://login.microsoftonline.us</c>.</summary>
    public string LoginEndpoint { get; set; } = "https://login.microsoftonline.com";

    /// <summary>
    /// The tenant a MultiTenant bot asks for its token (SingleTenant bots use <c>MicrosoftAppTenantId</c>).
    /// Public default <c>botframework.com</c>; US Gov <c>MicrosoftServices.onmicrosoft.us</c>.
    /// </summary>
    public string ChannelAuthTenant { get; set; } = "botframework.com";

    /// <summary>The scope of the bot's token for Bot Connector calls. Public default <c>https://api.botframework.com/.default</c>; US Gov <c>https://api.botframework.us/.default</c>.</summary>
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Stamped as <c>activity.callerId</c> after a token is validated. Public default <c>urn:botframework:azure</c>; US Gov <c>urn:botframework:azureusgov</c>.</summary>
    public string CallerId { get; set; } = "urn:botframework:azure";

    /// <summary>
    /// Whether MSAL checks the login authority against Microsoft's known instances (instance discovery). Default
    /// true; turn it off only for a private authority or a local test stand-in, which discovery cannot know.
    /// </summary>
    public bool ValidateAuthority { get; set; } = true;

    /// <summary>The login authority for the bot's token: <c>{LoginEndpoint}/{tenant}</c>.</summary>
    public string AuthorityFor(string tenant) => $"{LoginEndpoint.TrimEnd('/')}/{tenant}";

    internal static readonly string[] PublicEmulatorIssuers =
    [
        "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
        "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
        "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
        "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
    ];

    internal static readonly string[] USGovEmulatorIssuers =
    [
        "https://sts.windows.net/cab8a31a-1906-4287-a0d8-4eef66b95f6e/",
        "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0",
        "https://login.microsoftonline.us/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
        "https://login.microsoftonline.us/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
    ];

    /// <summary>Resets every value to the named preset; false when the name is unknown.</summary>
    public bool ApplyPreset(string? cloud)
    {
        if (string.IsNullOrWhiteSpace(cloud) || string.Equals(cloud, Public, StringComparison.OrdinalIgnoreCase))
        {
            var defaults = new BotCloudOptions();
            CopyFrom(defaults);
            return true;
        }
        if (!string.Equals(cloud, USGov, StringComparison.OrdinalIgnoreCase))
        {
            Cloud = cloud;
            return false;
        }
        Cloud = USGov;
        ChannelOpenIdMetadataUrl = "https://login.botframework.azure.us/v1/.well-known/openidconfiguration";
        ChannelTokenIssuer = "https://api.botframework.us";
        EmulatorOpenIdMetadataUrl = "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration";
        EmulatorTokenIssuers = [.. USGovEmulatorIssuers];
        TenantIssuerFormats = ["https://sts.windows.net/{0}/", "https://login.microsoftonline.us/{0}/v2.0"];
        LoginEndpoint = "https://login.microsoftonline.us";
        ChannelAuthTenant = "MicrosoftServices.onmicrosoft.us";
        ConnectorScope = "https://api.botframework.us/.default";
        CallerId = "urn:botframework:azureusgov";
        ValidateAuthority = true;
        return true;
    }

    private void CopyFrom(BotCloudOptions other)
    {
        Cloud = other.Cloud;
        ChannelOpenIdMetadataUrl = other.ChannelOpenIdMetadataUrl;
        ChannelTokenIssuer = other.ChannelTokenIssuer;
        EmulatorOpenIdMetadataUrl = other.EmulatorOpenIdMetadataUrl;
        EmulatorTokenIssuers = [.. other.EmulatorTokenIssuers];
        TenantIssuerFormats = [.. other.TenantIssuerFormats];
        LoginEndpoint = other.LoginEndpoint;
        ChannelAuthTenant = other.ChannelAuthTenant;
        ConnectorScope = other.ConnectorScope;
        CallerId = other.CallerId;
        ValidateAuthority = other.ValidateAuthority;
    }
}

/// <summary>Applies the <c>Bot:Cloud</c> preset, then the single-value overrides under <c>Bot:CloudSettings</c>.</summary>
internal sealed class ConfigureBotCloudOptions(IConfiguration configuration) : IConfigureOptions<BotCloudOptions>
{
    public void Configure(BotCloudOptions options)
    {
        options.ApplyPreset(configuration[BotCloudOptions.PresetKey]);
        var overrides = configuration.GetSection(BotCloudOptions.SectionName);
        // The binder appends to a list that already holds the preset's items; a configured list replaces them.
        if (overrides.GetSection(nameof(BotCloudOptions.EmulatorTokenIssuers)).GetChildren().Any())
        {
            options.EmulatorTokenIssuers.Clear();
        }
        if (overrides.GetSection(nameof(BotCloudOptions.TenantIssuerFormats)).GetChildren().Any())
        {
            options.TenantIssuerFormats.Clear();
        }
        var preset = options.Cloud;
        overrides.Bind(options);
        options.Cloud = preset;
    }
}

/// <summary>Refuses to start with an unknown cloud or an endpoint that is not an absolute https URL.</summary>
internal sealed class BotCloudOptionsValidator : IValidateOptions<BotCloudOptions>
{
    public ValidateOptionsResult Validate(string? name, BotCloudOptions options)
    {
        List<string> failures = [];
        if (options.Cloud is not (BotCloudOptions.Public or BotCloudOptions.USGov))
        {
            failures.Add($"Bot:Cloud '{options.Cloud}' is unknown: use Public or USGov (and override single endpoints under Bot:CloudSettings).");
        }
        CheckUrl(failures, nameof(options.ChannelOpenIdMetadataUrl), options.ChannelOpenIdMetadataUrl);
        CheckUrl(failures, nameof(options.EmulatorOpenIdMetadataUrl), options.EmulatorOpenIdMetadataUrl);
        CheckUrl(failures, nameof(options.LoginEndpoint), options.LoginEndpoint);
        foreach (var (key, value) in new[]
        {
            (nameof(options.ChannelTokenIssuer), options.ChannelTokenIssuer),
            (nameof(options.ChannelAuthTenant), options.ChannelAuthTenant),
            (nameof(options.ConnectorScope), options.ConnectorScope),
            (nameof(options.CallerId), options.CallerId),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"Bot:CloudSettings:{key} must not be empty.");
            }
        }
        if (options.TenantIssuerFormats.Exists(format => !format.Contains("{0}", StringComparison.Ordinal)))
        {
            failures.Add("Bot:CloudSettings:TenantIssuerFormats entries must contain {0} where the tenant id goes.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !EndpointRules.IsSecureOrLoopback(uri))
        {
            failures.Add($"Bot:CloudSettings:{key} must be an absolute https URL (http only on loopback), not '{value}'.");
        }
    }
}

internal static class EndpointRules
{
    /// <summary>https, or http to this machine (local stand-ins in tests, the Emulator on a developer's box).</summary>
    public static bool IsSecureOrLoopback(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
