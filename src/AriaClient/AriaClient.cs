using System.Net;
using Aria.Client.Models;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Aria.Client;

public sealed partial class AriaClient
{
    // One place turns every way a call can end into a result, so callers never catch.
    private async Task<AriaResult<TResponse>> SendAsync<TRequest, TResponse>(
        TRequest request,
        Func<TRequest, CancellationToken, Task<IApiResponse<TResponse>>> call,
        CancellationToken cancellationToken)
        where TRequest : AriaRequest
        where TResponse : AriaResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        var isWrite = IsWrite(request);
        try
        {
            using var response = await call(request, cancellationToken).ConfigureAwait(false);
            // Attempts that got past the circuit breaker, counted by AriaLoggingHandler.
            var sentAttempts = response.RequestMessage is { } message ? Http.AriaCallInfo.From(message)?.Attempts ?? 0 : 0;
            var attempts = Math.Max(1, sentAttempts);
            if (response.StatusCode is null && response.Error is not null)
            {
                // Refit hands back a request that never got an HTTP answer as an error response.
                cancellationToken.ThrowIfCancellationRequested();
                return Fail(FromTransport(response.Error, request.RestCall, isWrite, sentAttempts) with { Attempts = attempts });
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = (int?)response.StatusCode ?? 0;
                LogUnavailable(logger, request.RestCall, $"HTTP {status}");
                return Fail(AriaError.Unavailable(
                    response.StatusCode == HttpStatusCode.RequestTimeout ? AriaUnavailableReason.Timeout : AriaUnavailableReason.ServerError,
                    $"Aria answered HTTP {status}.",
                    isWrite) with { Attempts = attempts });
            }

            if (response.Error is not null || response.Content is null)
            {
                return Fail(AriaError.InvalidResponse("Aria's reply could not be read as an Aria response.", isWrite) with { Attempts = attempts });
            }

            var body = response.Content;
            if (body.ErrorCode != 0)
            {
                return Fail(AriaError.FromAria(body.ErrorCode, body.ErrorMsg) with { Attempts = attempts });
            }

            return AriaResult<TResponse>.Success(body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(FromTransport(ex, request.RestCall, isWrite, sentAttempts: null));
        }

        static AriaResult<TResponse> Fail(AriaError error) => AriaResult<TResponse>.Failure(error);
    }

    /// <param name="sentAttempts">Attempts that reached the network, when known.</param>
    private AriaError FromTransport(Exception exception, string restCall, bool isWrite, int? sentAttempts)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case BrokenCircuitException:
                    // The circuit refused this attempt; an earlier attempt of a retried write may still have reached Aria.
                    LogUnavailable(logger, restCall, "circuit open");
                    return AriaError.Unavailable(AriaUnavailableReason.CircuitOpen, "Aria is failing; calls are paused for a moment.", outcomeUnknown: isWrite && sentAttempts != 0);
                case TimeoutRejectedException or TaskCanceledException or OperationCanceledException:
                    LogUnavailable(logger, restCall, "timeout");
                    return AriaError.Unavailable(AriaUnavailableReason.Timeout, "Aria did not answer in time.", isWrite);
                case HttpRequestException http:
                    LogUnavailable(logger, restCall, http.HttpRequestError.ToString());
                    return AriaError.Unavailable(AriaUnavailableReason.NetworkError, "Aria could not be reached.", isWrite);
                default:
                    break;
            }
        }

        LogUnavailable(logger, restCall, exception.GetType().Name);
        return AriaError.InvalidResponse("Aria's reply could not be read as an Aria response.", isWrite);
    }

    private static bool IsWrite(AriaRequest request) => request switch
    {
        PlanChangeRequest change => change.DoWrite != false,
        CreateOrderMRequest order => order.DoWrite != false,
        _ => !request.RestCall.StartsWith("get_", StringComparison.Ordinal) && request.RestCall != "validate_session_m",
    };

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Aria {RestCall} unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string restCall, string reason);
}
