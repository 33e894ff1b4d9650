using System.Buffers;
using System.Globalization;
using BotRuntime.Authentication;
using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>
/// <c>POST /api/messages</c>: the Bot Connector ingress. Reads and checks the activity, authenticates the
/// caller, picks where replies go, runs the turn and answers as the Bot Framework SDK's adapter does.
/// Bad input gets a 4xx with a problem-details body; nothing a caller sends can crash the process.
/// </summary>
public sealed partial class BotMessagesHandler(
    TurnProcessor processor,
    IBotRequestAuthenticator authenticator,
    BotConnectorFactory connectorFactory,
    IEnumerable<IIngressConversations> ingressConversations,
    IOptionsMonitor<BotOptions> options,
    ILogger<BotMessagesHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var limit = options.CurrentValue.MaxActivityBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        var body = await ReadLimitedAsync(request.Body, limit, httpContext.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge(limit);
        }

        // One check for every ingress: a body that passes never holds null list entries, empty or control-character
        // ids, or oversized lists, which code far from here (transcripts, state keys, logs) would trip over later.
        var read = ActivityValidator.Read(body);
        if (!read.IsValid)
        {
            return Invalid(read);
        }
        var activity = read.Activity!;
        var missing = MissingRequired(activity);
        if (missing.Count > 0)
        {
            return Results.Problem(statusCode: 400, title: "The activity is incomplete", detail: $"Missing: {string.Join(", ", missing)}.");
        }

        var authentication = await authenticator.AuthenticateAsync(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, activity, httpContext.RequestAborted).ConfigureAwait(false);
        if (!authentication.Succeeded)
        {
            LogUnauthorized(logger, activity.ChannelId, authentication.FailureReason);
            return Results.StatusCode(401);
        }
        // callerId is never trusted from the wire: only what authentication proved is kept.
        activity.CallerId = authentication.CallerId;
        // Whatever its channelId and from.id: an unauthenticated caller never reaches an authenticated conversation. The
        // ingresses whose check is one stored key are checked by the turn's start itself (issue 22: in its round trip).
        IReadOnlyCollection<string> ownershipKeys = [];
        if (authentication.IsAnonymous)
        {
            var (owned, keys) = await OwnershipAsync(activity.Conversation!.Id!, httpContext.RequestAborted).ConfigureAwait(false);
            if (owned)
            {
                return ForeignConversation(activity);
            }
            ownershipKeys = keys;
        }

        IChannelConnector? connector = null;
        if (activity.DeliveryMode != DeliveryModes.ExpectReplies)
        {
            var choice = connectorFactory.Create(activity, authentication);
            if (choice.Connector is null)
            {
                return Results.Problem(statusCode: 403, title: "Replies cannot be delivered", detail: choice.Refusal);
            }
            connector = choice.Connector;
        }

        var outcome = await processor.ProcessAsync(activity, connector, authentication.Identity, ownershipKeys, httpContext.RequestAborted).ConfigureAwait(false);
        return ReferenceEquals(outcome, TurnOutcome.Refused) ? ForeignConversation(activity) : ToResult(outcome, httpContext);
    }

    private IResult ForeignConversation(Activity activity)
    {
        LogForeignConversation(logger, activity.ChannelId);
        return Results.Problem(statusCode: 403, title: "This conversation is not open to unauthenticated callers");
    }

    /// <summary>
    /// True when an ingress that checks by itself (<see cref="IIngressConversations.OwnsAsync"/>) owns the conversation;
    /// otherwise the stored keys whose presence means another ingress owns it, for the turn to check as it starts.
    /// </summary>
    private async Task<(bool Owned, IReadOnlyCollection<string> Keys)> OwnershipAsync(string conversationId, CancellationToken cancellationToken)
    {
        List<string>? keys = null;
        foreach (var owner in ingressConversations)
        {
            if (owner.TryGetOwnershipKey(conversationId, out var key))
            {
                if (key is not null)
                {
                    (keys ??= []).Add(key);
                }
            }
            else if (await owner.OwnsAsync(conversationId, cancellationToken).ConfigureAwait(false))
            {
                return (true, []);
            }
        }
        return (false, keys is null ? [] : keys);
    }

    private static IResult ToResult(TurnOutcome outcome, HttpContext httpContext)
    {
        if (outcome.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return outcome switch
        {
            { StatusCode: 503 } => Results.Problem(statusCode: 503, title: "The conversation is busy", detail: "An earlier message of this conversation is still being processed; retry later."),
            { StatusCode: 500 } => Results.Problem(statusCode: 500, title: "The bot could not process the activity"),
            { StatusCode: 501 } => Results.StatusCode(501),
            { Body: { } bodyJson } => new RawJsonResult(bodyJson, outcome.StatusCode),
            _ => Results.StatusCode(outcome.StatusCode),
        };
    }

    /// <summary>
    /// Answers a body that is already JSON with its own bytes: the turn serialised it once (and stored it for a
    /// redelivery); writing it through the serializer again cost a second serialisation per turn (issue 22).
    /// </summary>
    private sealed class RawJsonResult(byte[] body, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            response.BodyWriter.Write(body);
            return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
        }
    }

    private static IResult Invalid(ActivityReadResult read) =>
        Results.Problem(statusCode: 400, title: "The body is not a valid activity", detail: read.Summary + ".",
            extensions: new Dictionary<string, object?> { ["errors"] = read.Errors.Select(error => new { path = error.Path, message = error.Message }).ToArray() });

    private static IResult TooLarge(int limit) =>
        Results.Problem(statusCode: 413, title: "The activity is too large", detail: $"Activities up to {limit} bytes are accepted.");

    private static List<string> MissingRequired(Activity activity)
    {
        List<string> missing = [];
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            missing.Add("type");
        }
        if (string.IsNullOrWhiteSpace(activity.ChannelId))
        {
            missing.Add("channelId");
        }
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            missing.Add("conversation.id");
        }
        return missing;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer (whatever Content-Length claimed).</summary>
    /// <remarks>
    /// Read into a rented buffer (doubled when full, up to the limit) and copied out once at the exact length: a new
    /// 16 KB array per request was 2 % of request time, and a growing MemoryStream copied every body two or three more
    /// times (issue 22). One byte past the limit is enough to refuse, so the buffer never grows beyond limit + 1.
    /// </remarks>
    internal static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(16 * 1024L, limit + 1L));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(2L * buffer.Length, limit + 1L), Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }
                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unauthenticated /api/messages activity (channel {ChannelId}) naming a conversation of an authenticated ingress")]
    private static partial void LogForeignConversation(ILogger logger, string? channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an /api/messages request from channel {ChannelId}: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string? channelId, string? reason);
}
