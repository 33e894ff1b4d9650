using AriaBot.SandboxHost;
using Microsoft.Extensions.Options;

namespace AriaBot.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Section <c>Email</c>, the <see cref="IEmailSender"/> (SMTP with a host; else the Development outbox when the sandbox
    /// serves this process; else a sender that fails, so queued mail waits), and the durable <see cref="Outbox"/> with its sweep.
    /// Needs <c>AddDevelopmentSandbox</c> first.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<DevelopmentOutbox>();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<IEmailSender>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<EmailOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(settings.Host))
            {
                return sp.GetRequiredService<SmtpEmailSender>();
            }
            return UsesDevelopmentOutbox(settings, sp.GetRequiredService<DevelopmentSandbox>())
                ? sp.GetRequiredService<DevelopmentOutbox>()
                : new UnconfiguredEmailSender();
        });
        services.AddSingleton<Outbox>();
        services.AddSingleton<IOutboxJobHandler, EmailJobHandler>();
        services.AddHostedService<OutboxSweep>();
        return services;
    }

    /// <summary><c>/dev/outbox</c>: the Development outbox's page, 404 whenever the outbox is not what sends.</summary>
    public static WebApplication MapEmail(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(DevelopmentOutbox.Path, (IEmailSender sender, HttpContext context) =>
        {
            if (sender is not DevelopmentOutbox outbox)
            {
                return Results.NotFound();
            }
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            return Results.Content(outbox.Render(), "text/html; charset=utf-8");
        });
        return app;
    }

    private static bool UsesDevelopmentOutbox(EmailOptions settings, DevelopmentSandbox sandbox) =>
        sandbox.Enabled && (settings.DevelopmentOutbox ?? true);
}
