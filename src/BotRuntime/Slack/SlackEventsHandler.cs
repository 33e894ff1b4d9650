using System.Text;
using System.Text.Json;
using BotRuntime.Privacy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Slack;

/// <summary>
/// <c>POST /api/slack/events</c>, Slack's Events API and interactivity request URL. In order: off (404) without a
/// signing secret; the raw body read (up to <see cref="SlackOptions.MaxBodyBytes"/>); the signature and timestamp
/// checked over those bytes before anything is parsed (401, no turn); <c>url_verification</c> answered; the app and
/// workspace checked (403); the event mapped, stored in the durable inbox with its <c>event_id</c> (a retry is
/// dropped) and acknowledged at once — the turn runs afterwards in the background, so Slack's 3-second limit never
/// depends on Aria.
/// </summary>
public sealed partial class SlackEventsHandler(
    SlackInbox inbox,
    SlackTurnQueue queue,
    IIncomingActivityRedactor redactor,
    IOptionsMonitor<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackEventsHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return Results.NotFound();
        }
        var request = httpContext.Request;
        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return TooLarge(settings);
        }
        var body = await ReadLimitedAsync(request.Body, settings.MaxBodyBytes, httpContext.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge(settings);
        }
        var refusal = SlackSignature.Check(settings.SigningSecret!, request.Headers[SlackSignature.TimestampHeader].ToString(),
            request.Headers[SlackSignature.SignatureHeader].ToString(), body, timeProvider.GetUtcNow(), settings.MaxClockSkew);
        if (refusal is not null)
        {
            LogUnauthorized(logger, refusal);
            return Results.Problem(statusCode: 401, title: "The request is not signed by Slack");
        }

        JsonDocument document;
        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            if (isForm)
            {
                var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
                if (!form.TryGetValue("payload", out var payload) || payload.Count != 1)
                {
                    // Slash commands and other forms are not used by this app: acknowledged, nothing runs.
                    return Results.Ok();
                }
                document = JsonDocument.Parse(payload[0]!);
            }
            else
            {
                document = JsonDocument.Parse(body);
            }
        }
        catch (JsonException)
        {
            return Results.Problem(statusCode: 400, title: "The body is not valid JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Results.Problem(statusCode: 400, title: "The body is not a Slack payload");
            }
            if (!isForm && Str(root, "type") == "url_verification")
            {
                return Results.Text(Str(root, "challenge") ?? string.Empty, "text/plain");
            }
            var teamId = isForm && root.TryGetProperty("team", out var team) ? Str(team, "id") : Str(root, "team_id");
            if ((settings.AppId is { } appId && Str(root, "api_app_id") != appId) || (settings.TeamId is { } teamIdSetting && teamId != teamIdSetting))
            {
                LogForeignApp(logger);
                return Results.Problem(statusCode: 403, title: "The event is for another Slack app or workspace");
            }
            var incoming = isForm ? SlackEventMapper.FromInteraction(root)
                : Str(root, "type") == "event_callback" ? SlackEventMapper.FromEvent(root) : null;
            if (incoming is null)
            {
                return Results.Ok();
            }
            await EnqueueAsync(incoming, httpContext.RequestAborted).ConfigureAwait(false);
            return Results.Ok();
        }
    }

    private async Task EnqueueAsync(SlackIncoming incoming, CancellationToken cancellationToken)
    {
        var asTyped = incoming.Activity;
        var redacted = await redactor.RedactAsync(asTyped, IncomingRedactionReason.Incoming, cancellationToken).ConfigureAwait(false);
        var heldId = redacted is null ? null : queue.Hold(asTyped);
        var item = new SlackInboxItem { Activity = redacted ?? asTyped, Channel = incoming.Channel, ThreadTs = incoming.ThreadTs, HeldId = heldId };
        bool stored;
        try
        {
            stored = await inbox.TryEnqueueAsync(incoming.DedupeId, item, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            queue.Release(heldId);
            throw;
        }
        if (!stored)
        {
            queue.Release(heldId);
            LogRetryDropped(logger);
            return;
        }
        queue.Schedule(asTyped.ConversationKey);
    }

    private static IResult TooLarge(SlackOptions settings) =>
        Results.Problem(statusCode: 413, title: "The request is too large", detail: $"Requests up to {settings.MaxBodyBytes} bytes are accepted.");

    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack request: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a signed Slack request for another app or workspace")]
    private static partial void LogForeignApp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "A Slack event seen before (a retry) was acknowledged and dropped")]
    private static partial void LogRetryDropped(ILogger logger);
}
