using BotRuntime.Authentication;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Logging;
using BotRuntime.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

public static class BotRuntimeExtensions
{
    /// <summary>Logging, state, the turn pipeline and the Bot Connector ingress, configured from the host's configuration.</summary>
    public static WebApplicationBuilder AddBotRuntime(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddBotLogging();
        builder.Services.AddBotRuntime(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddBotRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BotCredentialsOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotCredentialsOptions>, BotCredentialsValidator>();
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, AnonymousPolicyValidator>();
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<IStorage>(CreateStorage);
        // Portal cookies, antiforgery tokens and signed links must be accepted by every instance and survive restarts.
        services.AddStateStoreKeyRing(configuration);
        // Conversation-scoped state expires after State:ConversationRetention without a change; user state is kept.
        services.TryAddSingleton(sp => new ConversationState(sp.GetRequiredService<IStorage>())
        {
            Retention = sp.GetRequiredService<IOptions<StateOptions>>().Value.ConversationRetention,
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
        });
        services.TryAddSingleton<UserState>();
        services.TryAddSingleton(sp => new PrivateConversationState(sp.GetRequiredService<IStorage>())
        {
            Retention = sp.GetRequiredService<IOptions<StateOptions>>().Value.ConversationRetention,
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
        });
        // Registered first so that it is the outermost middleware: the turn's span and latency include the state save.
        services.AddSingleton<Builder.IMiddleware>(sp => new Telemetry.TurnTelemetryMiddleware(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Builder.IMiddleware>(sp => new AutoSaveStateMiddleware(
            sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<UserState>(), sp.GetRequiredService<PrivateConversationState>()));
        services.AddHostedService<StoragePurgeService>();

        services.TryAddSingleton<ConversationLocks>();
        services.TryAddSingleton<BusyNotices>();
        services.TryAddSingleton<ITurnErrorHandler, DefaultTurnErrorHandler>();
        services.TryAddSingleton<ChannelAdapter>();
        services.TryAddSingleton<TurnProcessor>();
        // The incarnation's heartbeat starts before the Direct Line inbox is resumed (hosted services start in order).
        services.TryAddSingleton<ProcessIncarnation>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcessIncarnation>());
        services.TryAddSingleton<InterruptedTurnSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<InterruptedTurnSweep>());
        services.AddBotConnectorAuthentication(configuration);
        // One for the process: everything it holds is a singleton, and the endpoint reaches it without a request scope.
        services.TryAddSingleton<BotMessagesHandler>();
        // Tagged "ready" like the host's other readiness checks (Aria): /healthz/ready fails while the store is down.
        services.AddHealthChecks().AddCheck<StateStoreHealthCheck>(StateStoreHealthCheck.Name, tags: ["ready"]);
        return services;
    }

    private static IStorage CreateStorage(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StateOptions>>().Value;
        var timeProvider = services.GetRequiredService<TimeProvider>();
        IStorage store = options.Provider switch
        {
            "Memory" => new MemoryStorage(timeProvider),
            "Sqlite" => SqliteStorage.ForFile(Path.Combine(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath, options.SqlitePath), timeProvider),
            "Postgres" => new PostgresStorage(PostgresStorage.CreateDataSource(options.PostgresConnectionString!), timeProvider),
            _ => throw new InvalidOperationException($"State:Provider '{options.Provider}' has no storage registered in this build."),
        };
        // A span and metrics per storage call; nothing is recorded unless a telemetry listener is on.
        return new Telemetry.InstrumentedStorage(store, options.Provider == "Postgres" ? "postgresql" : options.Provider == "Sqlite" ? "sqlite" : "memory", timeProvider);
    }

    /// <summary>Request logging, <c>POST /api/messages</c> and <c>/healthz</c> (liveness).</summary>
    public static WebApplication MapBotRuntime(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.MapBotMessages();
        // Liveness only: the process answers. Readiness (Aria reachable, state store up) is /healthz/ready.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        return app;
    }

    /// <remarks>
    /// The handler comes from the application's services, resolved on the first request, not from the request's: a
    /// parameter resolved per request made ASP.NET create, lock and dispose a service scope for every turn, for nothing
    /// scoped (issue 22). Nothing on the turn's path asks for request services, so a turn creates no scope at all.
    /// </remarks>
    public static RouteHandlerBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        BotMessagesHandler? handler = null;
        Func<HttpContext, Task<IResult>> handle = context => (handler ??= services.GetRequiredService<BotMessagesHandler>()).HandleAsync(context);
        // As a Delegate: a route handler whose IResult is executed, not a bare RequestDelegate.
        return endpoints.MapPost(pattern, (Delegate)handle).WithName("BotMessages");
    }
}
