using Aria.Client.Http;
using BotRuntime.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AriaBot.Telemetry;

/// <summary>
/// OpenTelemetry for the bot: traces (a span per HTTP request, turn, Aria call and storage call), metrics and logs.
/// Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the standard <c>OTEL_*</c>
/// variables (<c>OTEL_SERVICE_NAME</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>…).
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The variable whose presence switches the OTLP exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> does not say otherwise.</summary>
    public const string ServiceName = "ariabot";

    public static WebApplicationBuilder AddAriaBotTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service (a name given here would override it).
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(BotTelemetry.Name, AriaTelemetryHandler.Name)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // The exception's message can quote what a customer typed; the status and error.type say enough.
                    aspNetCore.RecordException = false;
                    // Health probes every few seconds would drown the turns.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);
                    aspNetCore.EnrichWithHttpRequest = (activity, _) => TelemetryScrubber.Scrub(activity);
                })
                // First processor: every exporter added after it (OTLP, tests' in-memory) sees the scrubbed span.
                .AddProcessor(new TelemetryScrubber()))
            .WithMetrics(metrics => metrics
                .AddMeter(BotTelemetry.Name, AriaTelemetryHandler.Name, AssistantTelemetry.Name)
                .AddAspNetCoreInstrumentation())
            .WithLogging(logging => { }, options =>
            {
                // Log records go through the host's redaction (EnableRedaction) like every other sink; scopes are left
                // out because they name conversations and activities, which the log line's own fields do not need.
                options.IncludeScopes = false;
                options.IncludeFormattedMessage = true;
            });
        // The framework's request and HTTP client logs print URLs with their query strings (a Direct Line t= token, a
        // sign-in state=): below Warning they stay out of exported logs, whatever the host's general level.
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.Extensions.Http", LogLevel.Warning);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }
}
