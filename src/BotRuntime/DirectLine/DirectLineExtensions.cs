using BotRuntime.Hosting;
using BotRuntime.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BotRuntime.DirectLine;

/// <summary>
/// Direct Line is opt-in, next to <c>AddBotRuntime</c>/<c>MapBotRuntime</c>: it needs its own secrets and signing
/// key, and a bot reached only through Azure has no use for it (it still wants <c>/api/session-bindings</c>).
/// </summary>
public static class DirectLineExtensions
{
    /// <summary>The Direct Line services and options (section <c>DirectLine</c>), validated at start.</summary>
    public static IServiceCollection AddDirectLine(this IServiceCollection services)
    {
        services.AddOptions<DirectLineOptions>().BindConfiguration(DirectLineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DirectLineOptions>, DevelopmentDirectLineDefaults>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISessionBindingSink, RefusingSessionBindingSink>();
        // The bot may register its own redactor (one that knows which code it waits for), before or after this call.
        services.TryAddSingleton<IIncomingActivityRedactor, SensitiveTextActivityRedactor>();
        services.TryAddSingleton<DirectLineRedactionMigration>();
        services.TryAddSingleton<DirectLineTokens>();
        services.TryAddSingleton<DirectLineStore>();
        services.TryAddSingleton<DirectLinePushBus>();
        services.TryAddSingleton<DirectLineStreams>();
        // Relays appends between instances over PostgreSQL LISTEN/NOTIFY; idle unless State:Provider is Postgres.
        services.AddHostedService<PostgresDirectLinePush>();
        services.TryAddSingleton<DirectLineRateLimits>();
        services.TryAddSingleton<DirectLineTokenService>();
        services.TryAddSingleton<DirectLineEndpoints>();
        services.TryAddSingleton<DirectLineTurnQueue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngressConversations, DirectLineConversations>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<BotRuntime.State.ITurnReadAheadKeys, DirectLineTurnReadAhead>());
        services.AddHostedService(sp => sp.GetRequiredService<DirectLineTurnQueue>());
        return services;
    }

    /// <summary>Same as <see cref="AddDirectLine(IServiceCollection)"/>; the configuration is read through the options system.</summary>
    public static IServiceCollection AddDirectLine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddDirectLine();
    }

    /// <summary>
    /// <c>/v3/directline/*</c> (Direct Line 3.0, with its WebSocket stream) and <c>POST /api/session-bindings</c>.
    /// Call after <c>MapBotRuntime</c> so requests are logged (without query strings: stream URLs carry tokens).
    /// </summary>
    public static WebApplication MapDirectLine(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var group = app.MapGroup("/v3/directline");
        group.MapPost("/tokens/generate", (HttpContext context, DirectLineEndpoints endpoints) => endpoints.GenerateTokenAsync(context));
        group.MapPost("/tokens/refresh", (HttpContext context, DirectLineEndpoints endpoints) => endpoints.RefreshTokenAsync(context));
        group.MapPost("/conversations", (HttpContext context, DirectLineEndpoints endpoints) => endpoints.StartConversationAsync(context));
        group.MapGet("/conversations/{conversationId}", (HttpContext context, string conversationId, DirectLineEndpoints endpoints) => endpoints.ReconnectAsync(context, conversationId));
        group.MapGet("/conversations/{conversationId}/activities", (HttpContext context, string conversationId, DirectLineEndpoints endpoints) => endpoints.GetActivitiesAsync(context, conversationId));
        group.MapPost("/conversations/{conversationId}/activities", (HttpContext context, string conversationId, DirectLineEndpoints endpoints) => endpoints.PostActivityAsync(context, conversationId));
        group.MapPost("/conversations/{conversationId}/upload", (HttpContext context, string conversationId, DirectLineEndpoints endpoints) => endpoints.UploadAsync(context, conversationId));
        group.Map("/conversations/{conversationId}/stream", (HttpContext context, string conversationId, DirectLineEndpoints endpoints) => endpoints.StreamAsync(context, conversationId));
        group.MapMethods("/{**path}", [HttpMethods.Options], DirectLineEndpoints.Preflight);
        app.MapPost("/api/session-bindings", (HttpContext context, DirectLineEndpoints endpoints) => endpoints.RegisterSessionBindingAsync(context));
        return app;
    }
}
