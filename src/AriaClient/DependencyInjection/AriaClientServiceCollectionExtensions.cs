using Aria.Client;
using Aria.Client.Health;
using Aria.Client.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Aria client: options, Refit client, handlers, resilience and the facade.</summary>
public static class AriaClientServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AriaOptions"/> from the <c>Aria</c> section (validated at start-up) and
    /// registers <see cref="IAriaClient"/>, the Refit <see cref="IAriaCoreApi"/> and their HTTP
    /// pipeline. Returns the pipeline's builder so a host or a test can swap the primary handler
    /// (the sandbox's in-process handler, a test server's handler).
    /// </summary>
    public static IHttpClientBuilder AddAriaClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AriaOptions>()
            .BindConfiguration(AriaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddTransient<AriaRequestHandler>();
        services.AddTransient<AriaLoggingHandler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<AriaTelemetryHandler>();
        services.AddTransient<IAriaClient, AriaClient>();

        var builder = services
            .AddRefitGeneratedClient<IAriaCoreApi>(AriaJsonContext.Default, settingsAction: null, httpClientName: AriaClientDefaults.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<AriaOptions>>().CurrentValue;
                client.BaseAddress = options.BaseUrl;
                // The resilience pipeline owns timeouts; HttpClient's own would cut retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            });

        builder.AddHttpMessageHandler<AriaRequestHandler>();
        builder.AddResilienceHandler(AriaClientDefaults.ResiliencePipelineName, ConfigureResilience);
        builder.AddHttpMessageHandler<AriaLoggingHandler>();
        builder.AddHttpMessageHandler<AriaTelemetryHandler>();
        return builder;
    }

    /// <summary>
    /// Adds the Aria readiness check (tag <c>ready</c>): healthy when Aria accepts this host's
    /// credentials, unhealthy with 1003 (IP not allow-listed) or 1004 (wrong client_no/auth_key)
    /// told apart. Map it with <c>app.MapHealthChecks("/healthz/ready", new() { Predicate = c =&gt; c.Tags.Contains("ready") })</c>.
    /// </summary>
    public static IHealthChecksBuilder AddAriaReadinessCheck(this IHealthChecksBuilder builder, string name = "aria")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<AriaReadinessCheck>(name, HealthStatus.Unhealthy, ["ready"]);
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<AriaOptions>>().CurrentValue;

        // Transport timing runs on real time unless a test supplies its own clock under this key;
        // the business clock (a FakeTimeProvider in tests) must not stall retries and timeouts.
        pipeline.TimeProvider = context.ServiceProvider.GetKeyedService<TimeProvider>(AriaClientDefaults.ResilienceTimeProviderKey)
            ?? TimeProvider.System;

        pipeline.AddTimeout(options.TotalTimeout);

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && args.Context.GetRequestMessage() is { } request
                    && AriaCallInfo.From(request)?.IsRetryable == true),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
        });

        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
