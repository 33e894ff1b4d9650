using System.Net;
using BotRuntime.Authentication;
using BotRuntime.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BotRuntime.Hosting;

/// <summary>Bot Connector authentication (inbound JWT) and outbound replies with the bot's token.</summary>
internal static class BotConnectorServices
{
    public static IServiceCollection AddBotConnectorAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConfigureOptions<BotCloudOptions>>(new ConfigureBotCloudOptions(configuration));
        services.AddOptions<BotCloudOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotCloudOptions>, BotCloudOptionsValidator>();
        services.AddOptions<BotAuthenticationOptions>().BindConfiguration(BotAuthenticationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BotConnectorOptions>().BindConfiguration(BotConnectorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotConnectorOptions>, BotConnectorOptionsValidator>();

        services.TryAddSingleton<SigningKeyCaches>();
        services.TryAddSingleton<ServiceUrlTrust>();
        services.TryAddSingleton<IBotRequestAuthenticator, BotConnectorAuthenticator>();
        services.TryAddSingleton<IBotTokenSource, MsalBotTokenSource>();
        services.TryAddSingleton<IBotTokenProvider, CachingBotTokenProvider>();
        services.TryAddSingleton<BotConnectorFactory>();
        services.TryAddSingleton<ConversationConnectors>();
        services.TryAddTransient<BotConnectorAuthorizationHandler>();

        services.AddHttpClient(SigningKeyCache.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient(MsalBotTokenSource.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));

        // The resilience handler owns the time limits (per attempt and overall), so HttpClient's own is off.
        var connectorClient = services.AddHttpClient(BotConnectorConnector.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        connectorClient.AddResilienceHandler("bot-connector", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<BotConnectorOptions>>().Value;
                var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddTimeout(settings.ConnectorTotalTimeout);
                if (settings.ConnectorMaxRetries > 0)
                {
                    pipeline.AddRetry(ConnectorRetry(settings, timeProvider));
                }
                pipeline.AddTimeout(settings.ConnectorAttemptTimeout);
            });
        // Added last, so it is the innermost handler: it sees the final request URI of every attempt.
        connectorClient.AddHttpMessageHandler<BotConnectorAuthorizationHandler>();
        return services;
    }

    /// <summary>
    /// Retries 408/429/5xx, network errors and attempt timeouts, waiting what <c>Retry-After</c> asks when it asks;
    /// a channel asking for longer than <see cref="BotConnectorOptions.ConnectorMaxRetryAfter"/> gets no retry.
    /// </summary>
    internal static HttpRetryStrategyOptions ConnectorRetry(BotConnectorOptions settings, TimeProvider timeProvider) => new()
    {
        MaxRetryAttempts = settings.ConnectorMaxRetries,
        Delay = settings.ConnectorRetryDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(
            HttpClientResiliencePredicates.IsTransient(args.Outcome)
            && !(RetryAfter(args.Outcome.Result, timeProvider) > settings.ConnectorMaxRetryAfter)),
        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, timeProvider)),
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider timeProvider)
    {
        if (response is not { StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError } || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        return delay is { } d && d < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
