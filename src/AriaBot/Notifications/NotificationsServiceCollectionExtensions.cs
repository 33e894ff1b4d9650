using AriaBot.Email;
using AriaBot.Notifications.Delivery;
using AriaBot.Notifications.Receiver;
using AriaBot.Notifications.Subscriptions;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications;

public static partial class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Sections <c>AriaEvents</c> (the receiver) and <c>Notifications</c> (timing), the subscription store, the two
    /// outbox handlers, and the two middleware: opt-in/out phrases (before the dialogs) and held web-chat notices (after
    /// the turn). Needs <c>AddEmail</c> (the outbox) and the session services.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AriaEventsOptions>().BindConfiguration(AriaEventsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AriaEventsReceiver>();
        services.AddSingleton<NotificationSubscriptions>();
        services.AddSingleton<HeldNotices>();
        services.AddSingleton<TimeZoneQuestion>();
        services.AddSingleton<NoticeSender>();
        services.AddSingleton<IOutboxJobHandler, EventJobHandler>();
        services.AddSingleton<IOutboxJobHandler, DeliveryJobHandler>();
        services.AddSingleton<IOutboxJobHandler, EmailNoticeJobHandler>();
        services.AddSingleton<BotRuntime.Builder.IMiddleware, NotificationCommandsMiddleware>();
        services.AddSingleton<BotRuntime.Builder.IMiddleware, HeldNoticeMiddleware>();
        return services;
    }

    /// <summary><c>POST /api/aria/events</c>, outside the antiforgery and the chat's rate limits (Aria is a server).</summary>
    public static WebApplication MapNotifications(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(AriaEventsReceiver.Path, (HttpContext context, AriaEventsReceiver receiver) => receiver.ReceiveAsync(context))
            .DisableAntiforgery();
        var settings = app.Services.GetRequiredService<IOptions<AriaEventsOptions>>().Value;
        if ((settings.EnforceAllowList ?? app.Environment.IsProduction()) && settings.AllowedNetworks.Count == 0)
        {
            LogNoNetworks(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AriaEventsReceiver)));
        }
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AriaEvents:AllowedNetworks is empty while the allow-list is enforced: every Aria event will be refused (ask Aria support for its address range)")]
    private static partial void LogNoNetworks(ILogger logger);
}
