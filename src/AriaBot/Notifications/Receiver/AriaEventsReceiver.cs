using System.Security.Cryptography;
using System.Text;
using Aria.Client;
using AriaBot.Email;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Receiver;

/// <summary>
/// <c>POST /api/aria/events</c>: Aria's event notifications (reference §13). The transport and the caller are checked
/// first (HTTPS, the allow-list), then the document is read and its <c>auth_key</c> compared in constant time; an
/// accepted event is queued in the durable outbox together with a marker for its <c>transaction_id</c> in one write, and
/// answered 200 at once: a redelivered event is answered 200 again and queues nothing. The payload is never logged
/// (samples carry a <c>password</c>); refusals say why in the body, which never echoes the payload either.
/// </summary>
public sealed partial class AriaEventsReceiver(
    Outbox outbox,
    IOptionsMonitor<AriaEventsOptions> options,
    IOptionsMonitor<AriaOptions> aria,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<AriaEventsReceiver> logger)
{
    public const string Path = "/api/aria/events";

    /// <summary>The outbox kind of an accepted event (see <c>Delivery/EventJobHandler</c>).</summary>
    public const string JobKind = "notifications.event";

    /// <summary>Where each received <c>transaction_id</c> is remembered (hashed: the key carries nothing of the event).</summary>
    internal const string SeenPrefix = "notifications/events/";

    public async Task<IResult> ReceiveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.CurrentValue;
        var cancellationToken = context.RequestAborted;
        if ((settings.RequireHttps ?? !environment.IsDevelopment()) && !context.Request.IsHttps)
        {
            LogRefused(logger, "plain HTTP");
            return Refuse(StatusCodes.Status403Forbidden, "HTTPS is required.");
        }
        if ((settings.EnforceAllowList ?? environment.IsProduction()) && !IsAllowed(context.Connection.RemoteIpAddress, settings))
        {
            LogRefused(logger, "caller not on AriaEvents:AllowedNetworks");
            return Refuse(StatusCodes.Status403Forbidden, "The caller's address is not on AriaEvents:AllowedNetworks.");
        }
        if (context.Request.ContentLength > AriaEventsOptions.MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "The document is larger than 256 KiB.");
        }
        var body = await ReadLimitedAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "The document is larger than 256 KiB.");
        }

        var parse = Parse(context.Request.ContentType, body);
        if (parse.AuthKey is null)
        {
            LogRefused(logger, "malformed document");
            return Refuse(StatusCodes.Status400BadRequest, parse.Error ?? "The document could not be read.");
        }
        if (!KeyMatches(parse.AuthKey, settings.AuthKey is { Length: > 0 } own ? own : aria.CurrentValue.AuthKey))
        {
            LogRefused(logger, "auth_key does not match");
            return Refuse(StatusCodes.Status401Unauthorized, "The auth_key does not match.");
        }
        if (parse.Event is not { } accepted)
        {
            LogRefused(logger, "unknown or incomplete document");
            return Refuse(StatusCodes.Status400BadRequest, parse.Error ?? "The document could not be read.");
        }

        var now = timeProvider.GetUtcNow();
        var seenKey = SeenPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accepted.TransactionId)));
        var queued = await outbox.EnqueueOnceAsync(JobKind, accepted, seenKey, now + settings.DeduplicationWindow, cancellationToken).ConfigureAwait(false);
        if (queued)
        {
            LogQueued(logger, accepted.TransactionId, accepted.Class, string.Join(',', accepted.EventIds));
        }
        else
        {
            LogReplayed(logger, accepted.TransactionId);
        }
        return Results.Json(new { status = queued ? "queued" : "duplicate" });
    }

    private static AriaEventParse Parse(string? contentType, string body)
    {
        if (contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var fields = QueryHelpers.ParseQuery(body).ToDictionary(
                pair => pair.Key, pair => (IReadOnlyList<string>)[.. pair.Value.Where(v => v is not null).Select(v => v!)], StringComparer.Ordinal);
            return AriaEventReader.ReadNameValue(fields);
        }
        if (contentType is null || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) || body.TrimStart().StartsWith('<'))
        {
            return AriaEventReader.ReadXml(body);
        }
        return AriaEventParse.Refused("The body is neither an XML document (text/xml) nor name-value pairs (application/x-www-form-urlencoded).");
    }

    /// <summary>Equal-length digests compared in constant time: neither the key's content nor its length leaks through timing.</summary>
    internal static bool KeyMatches(string given, string expected)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private static bool IsAllowed(System.Net.IPAddress? address, AriaEventsOptions settings)
    {
        if (address is null)
        {
            return false;
        }
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return settings.AllowedNetworks.Select(AriaEventsOptions.ParseNetwork).Any(network => network is { } n && n.Contains(candidate));
    }

    private static async Task<string?> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[AriaEventsOptions.MaxBodyBytes + 1];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += chunk;
        }
        return read > AriaEventsOptions.MaxBodyBytes ? null : new string(buffer, 0, read);
    }

    private static IResult Refuse(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aria event refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aria event {TransactionId} (class {EventClass}, events {EventIds}) queued")]
    private static partial void LogQueued(ILogger logger, string transactionId, string eventClass, string eventIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aria event {TransactionId} was received before; acknowledged, nothing queued")]
    private static partial void LogReplayed(ILogger logger, string transactionId);
}
