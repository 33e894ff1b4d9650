using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AriaBot.Web;

/// <summary>
/// Which proxies may tell the bot who the client is (configuration section <c>Web:ForwardedHeaders</c>). The
/// forwarded headers themselves are switched on by ASP.NET Core's own <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>,
/// which on its own trusts <c>X-Forwarded-For</c> from <em>any</em> sender: a client that reaches the host directly
/// then names its own address and escapes every per-address limit (sign-in posts, chat tokens). These settings say
/// whom to believe instead.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "Web:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the bot (e.g. <c>10.0.0.4</c>, <c>::1</c>). Default none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR (e.g. <c>10.0.0.0/24</c>). Default none.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Believe any sender. Only for a host that cannot be reached except through a proxy that appends the real client
    /// address (App Service: its front ends are no fixed set of addresses, but the app is not reachable around them);
    /// requires <see cref="ForwardLimit"/> 1 so only the entry that proxy appended is read. Default false.
    /// </summary>
    public bool TrustAllProxies { get; set; }

    /// <summary>How many <c>X-Forwarded-For</c> entries are read, from the right. Default 1 (one proxy in front).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>ASP.NET Core's own switch for the forwarded headers middleware (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>).</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Start-up checks: every proxy is an address and every network a CIDR range; trusting everyone reads one entry only;
/// and outside Development forwarded headers on with nobody named to trust is refused rather than guessed. Falling
/// back to loopback only would silently count every customer as the proxy's one address (one shared sign-in limit
/// for everybody); trusting everyone is the very hole these settings close. The operator chooses.
/// </summary>
internal sealed class ForwardedHeadersSettingsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        List<string> problems = [];
        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                problems.Add($"Web:ForwardedHeaders:KnownProxies entry '{proxy}' is not an IP address.");
            }
        }
        foreach (var network in options.KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                problems.Add($"Web:ForwardedHeaders:KnownNetworks entry '{network}' is not a CIDR range such as 10.0.0.0/24.");
            }
        }
        var named = options.KnownProxies.Count + options.KnownNetworks.Count > 0;
        if (options.TrustAllProxies && named)
        {
            problems.Add("Web:ForwardedHeaders:TrustAllProxies=true and KnownProxies/KnownNetworks contradict each other: set one or the other.");
        }
        if (options.TrustAllProxies && options.ForwardLimit != 1)
        {
            problems.Add("Web:ForwardedHeaders:TrustAllProxies=true needs ForwardLimit=1: with more, a client's own X-Forwarded-For entry is read too.");
        }
        if (ForwardedHeadersSettings.IsEnabled(configuration) && !named && !options.TrustAllProxies && !environment.IsDevelopment())
        {
            problems.Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true names no proxy to trust: set Web:ForwardedHeaders:KnownProxies:0 or KnownNetworks:0 (CIDR) "
                + "to your proxies, or Web:ForwardedHeaders:TrustAllProxies=true only where the app is reachable solely through a proxy that appends the client address (App Service).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Applies <see cref="ForwardedHeadersSettings"/> after ASP.NET Core's own set-up (which clears every restriction).</summary>
internal sealed class ForwardedHeadersSetup(IOptions<ForwardedHeadersSettings> settings) : IPostConfigureOptions<ForwardedHeadersOptions>
{
    public void PostConfigure(string? name, ForwardedHeadersOptions options)
    {
        var configured = settings.Value;
        options.ForwardLimit = configured.ForwardLimit;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (configured.TrustAllProxies)
        {
            // Both lists empty: ASP.NET Core believes any sender.
            return;
        }
        foreach (var proxy in configured.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in configured.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        if (configured.KnownProxies.Count + configured.KnownNetworks.Count == 0)
        {
            // Nobody named (Development): ASP.NET Core's default, a proxy on this machine only.
            options.KnownIPNetworks.Add(new System.Net.IPNetwork(IPAddress.Parse("127.0.0.0"), 8));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
        }
    }
}

public static class ForwardedHeadersSettingsExtensions
{
    public static IServiceCollection AddForwardedHeadersSettings(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddSingleton<IPostConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        return services;
    }
}
