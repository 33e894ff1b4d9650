using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AriaBot.Tests.Telemetry;

/// <summary>
/// In-memory exporters added after the host's own telemetry wiring (so they see what OTLP would be sent), each writing
/// everything an exporter could read — names, status, every attribute, events, metric points' tags, log bodies — as
/// text at export time (log records and metric points are reused by the SDK afterwards).
/// </summary>
internal sealed class TelemetryCapture
{
    public ConcurrentQueue<string> Spans { get; } = new();
    public ConcurrentQueue<string> Metrics { get; } = new();
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The metric names exported, for the positive checks.</summary>
    public ConcurrentDictionary<string, long> MetricNames { get; } = new();

    public void Register(IServiceCollection services) => services.AddOpenTelemetry()
        // An exporter samples as OTLP's would (without one the host samples nothing: nothing would be sent).
        .WithTracing(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddProcessor(new SimpleActivityExportProcessor(new SpanExporter(this))))
        .WithMetrics(metrics => metrics.AddReader(new BaseExportingMetricReader(new MetricExporter(this))))
        .WithLogging(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new LogExporter(this))));

    public string Everything() => string.Join("\n", Spans.Concat(Metrics).Concat(Logs));

    private sealed class SpanExporter(TelemetryCapture capture) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                var text = new StringBuilder(span.Source.Name).Append('|').Append(span.DisplayName).Append('|').Append(span.OperationName)
                    .Append('|').Append(span.StatusDescription);
                foreach (var tag in span.TagObjects)
                {
                    text.Append('|').Append(tag.Key).Append('=').Append(tag.Value);
                }
                foreach (var item in span.Baggage)
                {
                    text.Append("|baggage:").Append(item.Key).Append('=').Append(item.Value);
                }
                foreach (var spanEvent in span.Events)
                {
                    text.Append("|event:").Append(spanEvent.Name);
                    foreach (var tag in spanEvent.Tags)
                    {
                        text.Append('|').Append(tag.Key).Append('=').Append(tag.Value);
                    }
                }
                capture.Spans.Enqueue(text.ToString());
            }
            return ExportResult.Success;
        }
    }

    private sealed class MetricExporter(TelemetryCapture capture) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                capture.MetricNames.AddOrUpdate(metric.Name, 1, (_, count) => count + 1);
                var text = new StringBuilder(metric.MeterName).Append('|').Append(metric.Name).Append('|').Append(metric.Description);
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags)
                    {
                        text.Append('|').Append(tag.Key).Append('=').Append(tag.Value);
                    }
                }
                capture.Metrics.Enqueue(text.ToString());
            }
            return ExportResult.Success;
        }
    }

    private sealed class LogExporter(TelemetryCapture capture) : BaseExporter<LogRecord>
    {
        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                var text = new StringBuilder(record.CategoryName).Append('|').Append(record.FormattedMessage).Append('|').Append(record.Body)
                    .Append('|').Append(record.Exception);
                foreach (var attribute in record.Attributes ?? [])
                {
                    text.Append('|').Append(attribute.Key).Append('=').Append(attribute.Value);
                }
                capture.Logs.Enqueue(text.ToString());
            }
            return ExportResult.Success;
        }
    }
}
