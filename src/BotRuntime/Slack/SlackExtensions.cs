using BotRuntime.Hosting;
using BotRuntime.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotRuntime.Slack;

/// <summary>Slack, next to <c>AddBotRuntime</c>/<c>MapBotRuntime</c>: the direct Events API ingress and Block Kit for Slack through Azure.</summary>
public static class SlackExtensions
{
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIncomingActivityRedactor, SensitiveTextActivityRedactor>();
        services.AddTransient<SlackBotTokenHandler>();
        services.AddHttpClient(SlackConnectorFactory.HttpClientName, (sp, client) =>
        {
            // Refit appends "/chat.postMessage" to the base address's path: no trailing slash, or the path doubles it.
            var baseUrl = sp.GetRequiredService<IOptionsMonitor<SlackOptions>>().CurrentValue.ApiBaseUrl.AbsoluteUri.TrimEnd('/');
            client.BaseAddress = new Uri(baseUrl);
            client.Timeout = TimeSpan.FromSeconds(30);
        }).AddHttpMessageHandler<SlackBotTokenHandler>();
        services.TryAddSingleton<SlackConnectorFactory>();
        services.TryAddSingleton<SlackInbox>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngressConversations, SlackInbox>(sp => sp.GetRequiredService<SlackInbox>()));
        services.TryAddSingleton<SlackTurnQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackTurnQueue>());
        services.TryAddSingleton<SlackEventsHandler>();
        services.AddSingleton<Builder.IMiddleware, SlackChannelDataMiddleware>();
        return services;
    }

    /// <summary><c>POST /api/slack/events</c> (404 while <c>Slack:SigningSecret</c> is not set).</summary>
    public static WebApplication MapSlack(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/slack/events", (HttpContext context, SlackEventsHandler handler) => handler.HandleAsync(context)).WithName("SlackEvents");
        return app;
    }
}

/// <summary>A signing secret without a bot token would acknowledge events and then fail every reply: refused at start.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
        options.Enabled && string.IsNullOrEmpty(options.BotToken)
            ? ValidateOptionsResult.Fail("Slack:BotToken is required when Slack:SigningSecret is set.")
            : ValidateOptionsResult.Success;
}
