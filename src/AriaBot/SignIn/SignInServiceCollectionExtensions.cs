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

        services.AddOptions<AriaSessionOptions>().BindConfiguration(AriaSessionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISessionBindings, StorageSessionBindings>();
        services.AddSingleton<AccountSession>();
        services.AddSingleton<IAccountSession>(sp => sp.GetRequiredService<AccountSession>());
        services.AddSingleton<BotRuntime.Builder.IMiddleware, AriaCallLedgerMiddleware>();
        services.AddTransient<AriaCallLedgerHandler>();
        services.AddHttpClient(AriaClientDefaults.HttpClientName).AddHttpMessageHandler<AriaCallLedgerHandler>();

        services.AddSingleton<ISessionBindingSink, AriaSessionBindingSink>();
        services.AddSingleton<IPortalChatTokens, PortalChatTokens>();

        services.AddSingleton<SignInLinks>();
        // Direct Line's echo of a code this chat user is asked for is stored redacted (replaces the runtime's default).
        services.AddSingleton<BotRuntime.Privacy.IIncomingActivityRedactor, AriaBot.Privacy.AriaIncomingActivityRedactor>();
        services.AddSingleton<SignInDialog>();
        // Every dialog is also registered as Dialog, for the dialog snapshot (DialogSnapshot.FromServices).
        services.AddSingleton<BotRuntime.Dialogs.Dialog>(sp => sp.GetRequiredService<SignInDialog>());

        // Sign-in links carry their state in the query string, and ASP.NET's own request lines print query strings.
        // The bot logs each request itself without one (RequestLoggingMiddleware), so these lines are not missed;
        // filtered here, for every logging provider, they can never print a state whatever the sink's settings.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".AriaBot.SignIn.Antiforgery";
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
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var earlier = limiter.OnRejected;
            limiter.OnRejected = (rejected, token) =>
            {
                // OnRejected is one for all policies: answer with the sign-in page only on the sign-in page.
                if (!rejected.HttpContext.Request.Path.StartsWithSegments(SignInPage.Path))
                {
                    return earlier?.Invoke(rejected, token) ?? ValueTask.CompletedTask;
                }
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
