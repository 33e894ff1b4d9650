using Aria.Client.Http;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using BotRuntime.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AriaBot.Telemetry;

/// <summary>
/// OpenTelemetry for the bot: traces (a span per HTTP request, turn, Aria call and storage call), metrics and logs.
/// Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the standard <c>OTEL_*</c>
/// variables (<c>OTEL_SERVICE_NAME</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>…), and to
/// Azure Monitor (Application Insights) when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set. Either exporter sees
/// spans only after <see cref="TelemetryScrubber"/>.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The variable whose presence switches the OTLP exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The variable whose presence switches the Azure Monitor exporter on (the deployment template sets it).</summary>
    public const string AzureMonitorConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> does not say otherwise.</summary>
    public const string ServiceName = "ariabot";

    public static WebApplicationBuilder AddAriaBotTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable])
            || !string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorConnectionStringVariable]);
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
                .AddProcessor(new TelemetryScrubber())
                .SampleOnlyWhen(exporting))
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
        if (!string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorConnectionStringVariable]))
        {
            UseAzureMonitor(builder, telemetry);
        }
        return builder;
    }

    /// <summary>
    /// With no exporter no span leaves the process, yet the SDK's default sampler records every one — the request's,
    /// the turn's, each storage call's, with their tags and the scrubber — for nothing (issue 22: about 5 % of an
    /// unsigned turn). Sampled out at the root instead, nothing is built below it. With an exporter the SDK's sampler
    /// (or <c>OTEL_TRACES_SAMPLER</c>) is left as it is; a test's in-memory exporter sets its own.
    /// </summary>
    private static TracerProviderBuilder SampleOnlyWhen(this TracerProviderBuilder tracing, bool exporting) =>
        exporting ? tracing : tracing.SetSampler(new AlwaysOffSampler());

    /// <summary>
    /// The Azure Monitor distro, added after the scrubber so its exporter gets scrubbed spans, with what it would switch
    /// on beyond ours kept off: Live Metrics (it streams request URLs and exception messages past every processor) and
    /// exception recording on server spans (a message can quote what a customer typed).
    /// </summary>
    private static void UseAzureMonitor(WebApplicationBuilder builder, OpenTelemetryBuilder telemetry)
    {
        telemetry.UseAzureMonitor(azure =>
        {
            azure.ConnectionString = builder.Configuration[AzureMonitorConnectionStringVariable];
            azure.EnableLiveMetrics = false;
        });
        builder.Services.PostConfigureAll<AspNetCoreTraceInstrumentationOptions>(aspNetCore =>
        {
            aspNetCore.RecordException = false;
            aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);
        });
    }
}
