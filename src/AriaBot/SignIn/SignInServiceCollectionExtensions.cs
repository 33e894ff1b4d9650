using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

public static class SignInServiceCollectionExtensions
{
    /// <summary>
    /// Sign-in by link and code: the links and codes, the dialog, the page's services (antiforgery, log filter), the
    /// redactor of a code's Direct Line echo and the abandoned sign-in sweep. It binds through the session layer, so
    /// call it after <c>AddAriaSession</c>.
    /// </summary>
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();

        services.AddSingleton<SignInLinks>();
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
        // The per-IP limit on the page's posts is counted in the state store by the page itself (SignInLinks), so
        // that it holds across instances; ASP.NET Core's rate limiter would count per instance.
        services.AddHostedService<AbandonedSignInSweep>();
        return services;
    }

    /// <summary>The sign-in page (<c>/signin</c>) and its stylesheet; the page limits its posts per client address itself.</summary>
    public static WebApplication MapSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapSignInPage();
        app.MapForgotPasswordPage();
        return app;
    }
}
