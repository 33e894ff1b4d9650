using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Aria.Client.Http;

/// <summary>
/// A span and metrics per attempt of an Aria call: the REST call's name, Aria's error code, the HTTP status and the
/// duration. Never the URL's query, a header or a body: Aria's requests carry <c>auth_key</c>, session ids and
/// passwords in the form body, and nothing of the request is read here but <see cref="AriaCallInfo"/>.
/// Runs innermost (after <see cref="AriaLoggingHandler"/>), so every retry is its own span.
/// </summary>
public sealed class AriaTelemetryHandler(TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "AriaBot.Aria";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("ariabot.aria.calls", "{call}", "Aria call attempts");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("ariabot.aria.errors", "{call}", "Aria call attempts that failed or answered an error code");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("ariabot.aria.duration", "s", "Aria call latency");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var restCall = AriaCallInfo.From(request)?.RestCall ?? "unknown";
        using var activity = Source.StartActivity("aria " + restCall, ActivityKind.Client);
        activity?.SetTag("aria.rest_call", restCall);
        var started = timeProvider.GetTimestamp();
        string? errorCode = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = await AriaLoggingHandler.ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (code is { } value)
            {
                activity?.SetTag("aria.error_code", value);
            }
            errorCode = code is 0 ? null : code?.ToString(CultureInfo.InvariantCulture)
                ?? (response.IsSuccessStatusCode ? null : "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            if (errorCode is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, errorCode);
            }
            return response;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            errorCode = exception.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, errorCode);
            throw;
        }
        finally
        {
            var elapsed = timeProvider.GetElapsedTime(started).TotalSeconds;
            var call = new KeyValuePair<string, object?>("aria.rest_call", restCall);
            Calls.Add(1, call);
            Duration.Record(elapsed, call);
            if (errorCode is not null)
            {
                Errors.Add(1, call, new KeyValuePair<string, object?>("aria.error_code", errorCode));
            }
        }
    }
}
