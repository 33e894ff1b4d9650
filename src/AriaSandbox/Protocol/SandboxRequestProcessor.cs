using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aria.Sandbox.Faults;
using Microsoft.AspNetCore.Http;

namespace Aria.Sandbox.Protocol;

/// <summary>
/// The sandbox's HTTP handling, shared by the mapped endpoints and the in-process handler: reads a
/// form post or a JSON body, applies injected faults, dispatches, and writes Aria's JSON reply —
/// always HTTP 200, business errors included (inferred from Aria's clients; unverified against Aria).
/// </summary>
public sealed class SandboxRequestProcessor
{
    private readonly SandboxDispatcher _dispatcher;
    private readonly SandboxFaults _faults;

    internal SandboxRequestProcessor(SandboxDispatcher dispatcher, SandboxFaults faults)
    {
        _dispatcher = dispatcher;
        _faults = faults;
    }

    /// <summary>A fault asked to drop the reply after the call ran; the host aborts the connection.</summary>
    public static readonly object LostResponseKey = new();

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancel = context.RequestAborted;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        AriaInput input;
        string transport;
        try
        {
            (input, transport) = await ReadAsync(context.Request, cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or AriaFault or BadHttpRequestException)
        {
            await WriteAsync(context.Response, new JsonObject
            {
                ["error_code"] = ex is AriaFault f ? f.Code : AriaCodes.InvalidInput,
                ["error_msg"] = ex is AriaFault ? ex.Message : "invalid input: the body is not a form or a JSON object",
            }, cancel).ConfigureAwait(false);
            return;
        }

        if (_faults.Latency > TimeSpan.Zero)
        {
            // Network latency is real time, not Aria's (simulated) clock.
            await Task.Delay(_faults.Latency, cancel).ConfigureAwait(false);
        }

        var fault = _faults.Take(input.NonEmpty("rest_call") ?? string.Empty);
        switch (fault?.Kind)
        {
            case FaultKind.Timeout:
                // Hang until the caller gives up (bounded, so a forgotten fault cannot pin a request forever).
                await Task.Delay(TimeSpan.FromMinutes(5), cancel).ConfigureAwait(false);
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                return;
            case FaultKind.HttpStatus:
                context.Response.StatusCode = fault.HttpStatus;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("Service Unavailable (injected by the Aria sandbox)", cancel).ConfigureAwait(false);
                return;
            case FaultKind.ErrorCode:
                await WriteAsync(context.Response, new JsonObject { ["error_code"] = fault.ErrorCode, ["error_msg"] = fault.Message ?? "error injected by the Aria sandbox" }, cancel).ConfigureAwait(false);
                return;
            default:
                break;
        }

        var reply = _dispatcher.Dispatch(input, context.Connection.RemoteIpAddress ?? IPAddress.Loopback, transport);
        if (fault?.Kind == FaultKind.LoseResponse)
        {
            context.Items[LostResponseKey] = true;
            context.Abort();
            return;
        }

        await WriteAsync(context.Response, reply, cancel).ConfigureAwait(false);
    }

    private static async Task<(AriaInput, string)> ReadAsync(HttpRequest request, CancellationToken cancel)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancel).ConfigureAwait(false);
            return (AriaInput.FromForm(form), "form");
        }

        var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancel).ConfigureAwait(false);
        return node is JsonObject body
            ? (AriaInput.FromJson(body), "json")
            : throw new AriaFault(AriaCodes.InvalidInput, "invalid input: the body is not a JSON object");
    }

    private static async Task WriteAsync(HttpResponse response, JsonObject reply, CancellationToken cancel)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(reply.ToJsonString(), cancel).ConfigureAwait(false);
    }
}
