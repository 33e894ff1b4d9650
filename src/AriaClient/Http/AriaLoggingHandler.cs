using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Aria.Client.Http;

/// <summary>
/// One log line per attempt: which call, for which account, HTTP status, Aria's error code, time.
/// Never the body: it carries <c>auth_key</c>, and may carry passwords, session ids and card
/// numbers. Runs inside the resilience pipeline so that every retry is visible.
/// </summary>
public sealed partial class AriaLoggingHandler(ILogger<AriaLoggingHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = AriaCallInfo.From(request);
        var restCall = call?.RestCall ?? "unknown";
        var attempt = call is null ? 1 : ++call.Attempts;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var errorCode = await ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
            LogAttempt(logger, restCall, call?.AccountNo, attempt, (int)response.StatusCode, errorCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogAttemptFailed(logger, restCall, call?.AccountNo, attempt, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    internal static async Task<long?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("error_code"u8))
                {
                    reader.Read();
                    return reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
                        JsonTokenType.String when long.TryParse(reader.GetString(), out var parsed) => parsed,
                        _ => null,
                    };
                }
            }
        }
        catch (JsonException)
        {
            // Not an Aria reply; the client reports it as an invalid response.
        }

        return null;
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug,
        Message = "Aria {RestCall} for account {AccountNo}, attempt {Attempt}: HTTP {StatusCode}, error_code {ErrorCode}, {ElapsedMs:0} ms")]
    private static partial void LogAttempt(ILogger logger, string restCall, long? accountNo, int attempt, int statusCode, long? errorCode, double elapsedMs);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning,
        Message = "Aria {RestCall} for account {AccountNo}, attempt {Attempt} failed: {Failure} after {ElapsedMs:0} ms")]
    private static partial void LogAttemptFailed(ILogger logger, string restCall, long? accountNo, int attempt, string failure, double elapsedMs);
}
