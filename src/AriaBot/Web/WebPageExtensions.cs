using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AriaBot.Web;

/// <summary>The customer page (<c>wwwroot</c>), its security headers and its server side under <c>/portal</c>.</summary>
public static class WebPageExtensions
{
    public static WebApplicationBuilder AddWebPage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddSingleton<DemoPortal>();
        // Whose X-Forwarded-For is believed when ASPNETCORE_FORWARDEDHEADERS_ENABLED=true (per-address limits depend on it).
        services.AddForwardedHeadersSettings();

        // A named scheme and no default: nothing else in the host authenticates with this cookie by accident.
        services.AddAuthentication().AddCookie(PortalLogin.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(PortalLogin.Scheme)
            .Configure<IOptions<WebOptions>>((cookie, web) => PortalLogin.Configure(cookie, web.Value));

        services.AddSingleton<ChatTokenLimiter>();
        services.AddSingleton<PortalChatSessions>();
        services.AddSingleton<PortalLoginSessions>();
        return builder;
    }

    /// <summary>Security headers, the static page at <c>/</c> and <c>/portal/*</c>. Call after <c>MapBotRuntime</c> (request logging).</summary>
    public static WebApplication MapWebPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        PortalEndpoints.Map(app);
        return app;
    }
}
