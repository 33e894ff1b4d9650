using System.Threading.RateLimiting;
using Aria.Client;
using AriaBot.Session;
using BotRuntime.DirectLine;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

public static class SignInServiceCollectionExtensions
{
    /// <summary>
    /// The session binding, the per-turn session check, sign-in by link and code, the portal binding sink and the
    /// sign-in page's services. Call after <c>AddAriaClient</c> (the Aria call ledger is added to its HttpClient) and
    /// next to <c>AddDirectLine</c> (the binding sink replaces Direct Line's refusing default).
    /// </summary>
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();

        services.AddSingleton<ISessionBindings, StorageSessionBindings>();
        services.AddSingleton<AccountSession>();
        services.AddSingleton<IAccountSession>(sp => sp.GetRequiredService<AccountSession>());
        services.AddSingleton<BotRuntime.Builder.IMiddleware, AriaCallLedgerMiddleware>();
        services.AddTransient<AriaCallLedgerHandler>();
        services.AddHttpClient(AriaClientDefaults.HttpClientName).AddHttpMessageHandler<AriaCallLedgerHandler>();

        services.AddSingleton<ISessionBindingSink, AriaSessionBindingSink>();
        services.AddSingleton<IPortalChatTokens, PortalChatTokens>();

        services.AddSingleton<SignInLinks>();
        services.AddSingleton<SignInDialog>();

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".AriaBot.SignIn.Antiforgery";
            antiforgery.Cookie.Path = SignInPage.Path;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            // The page sets X-Frame-Options: DENY itself (and CSP frame-ancestors 'none').
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInPage.RateLimiterPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<SignInOptions>>().CurrentValue.RateLimits;
                // Behind a proxy the remote address is the proxy's unless forwarded headers are enabled (see README).
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PostsPerIp,
                    Window = limits.PostsPerIpWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, _) =>
            {
                TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
                return SignInPage.WriteRateLimitedAsync(rejected.HttpContext, retryAfter);
            };
        });
        return services;
    }

    /// <summary>The sign-in page (<c>/signin</c>) and its stylesheet, behind the per-IP rate limiter.</summary>
    public static WebApplication MapSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.MapSignInPage();
        return app;
    }
}
