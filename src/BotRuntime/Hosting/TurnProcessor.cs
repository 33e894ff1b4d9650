using System.Security.Claims;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>What an ingress answers its caller once a turn is over (or was refused).</summary>
public sealed record TurnOutcome(int StatusCode, JsonElement? Body = null, TimeSpan? RetryAfter = null)
{
    public static TurnOutcome Ok { get; } = new(200);
}

/// <summary>
/// Runs one incoming activity as a turn, whatever the ingress: one turn at a time per conversation, a
/// redelivered activity never runs twice (its first outcome is answered again), expectReplies and invoke
/// answers assembled, and every log line of the turn tagged with the conversation and activity ids.
/// </summary>
public sealed partial class TurnProcessor(
    ChannelAdapter adapter,
    IBot bot,
    IStorage storage,
    ConversationLocks locks,
    IOptions<BotOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<TurnProcessor> logger)
{
    private const string Running = "running";
    private const string Done = "done";

    internal sealed class DeliveryRecord
    {
        public string Status { get; set; } = Running;
        public int HttpStatus { get; set; }
        public JsonElement? Body { get; set; }
        public DateTimeOffset StartedAt { get; set; }
    }

    /// <summary>
    /// Processes <paramref name="activity"/>. <paramref name="connector"/> carries replies for normal delivery;
    /// for <c>expectReplies</c> the replies are collected into the outcome instead and it may be null.
    /// </summary>
    public async Task<TurnOutcome> ProcessAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ConversationId"] = activity.Conversation?.Id,
            ["ActivityId"] = activity.Id,
            ["ChannelId"] = activity.ChannelId,
        });
        var settings = options.Value;
        using var lease = await locks.TryAcquireAsync(activity.ConversationKey, settings.TurnQueueTimeout, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            LogQueueTimeout(logger, settings.TurnQueueTimeout);
            return new TurnOutcome(503, RetryAfter: settings.TurnQueueTimeout);
        }

        var deliveryKey = string.IsNullOrEmpty(activity.Id) ? null : DeliveryKey(activity, identity);
        if (deliveryKey is not null)
        {
            var earlier = await ClaimDeliveryAsync(deliveryKey, settings, cancellationToken).ConfigureAwait(false);
            if (earlier is not null)
            {
                return earlier;
            }
        }

        var outcome = await RunTurnAsync(activity, connector, identity).ConfigureAwait(false);

        if (deliveryKey is not null)
        {
            var record = new DeliveryRecord { Status = Done, HttpStatus = outcome.StatusCode, Body = outcome.Body, StartedAt = timeProvider.GetUtcNow() };
            await storage.WriteAsync(deliveryKey, record, StoreWrite.AnyETag, timeProvider.GetUtcNow() + settings.RedeliveryWindow, CancellationToken.None).ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>
    /// Where an activity's delivery record lives. An unauthenticated caller chooses every id, including activity ids
    /// like our Direct Line's predictable <c>{conversation}|{seq}</c>: its records are kept apart, so it can neither
    /// pre-claim another ingress's next activity (which would then never run) nor read another's stored outcome.
    /// The authenticated ingresses keep the original key shape, so records written before the upgrade still count.
    /// </summary>
    internal static string DeliveryKey(Activity activity, ClaimsIdentity? identity)
    {
        var tail = $"{activity.ChannelId}/{activity.Conversation?.Id}/{activity.Id}";
        return TurnIngresses.Of(identity) switch
        {
            TurnIngress.Anonymous => $"deliveries/anonymous/{tail}",
            TurnIngress.SlackEvents => $"deliveries/slack-events/{tail}",
            _ => $"deliveries/{tail}",
        };
    }

    /// <summary>
    /// Marks the activity as running, or returns what to answer when it was seen before: its stored outcome,
    /// 503 while another process still runs it, or an empty 200 when that process died mid-turn.
    /// </summary>
    private async Task<TurnOutcome?> ClaimDeliveryAsync(string key, BotOptions settings, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var claim = new DeliveryRecord { Status = Running, StartedAt = now };
        var deadline = now + settings.TurnQueueTimeout;
        while (true)
        {
            if (await storage.TryCreateAsync(key, claim, now + settings.RedeliveryWindow, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }
            var earlier = await storage.ReadAsync<DeliveryRecord>(key, cancellationToken).ConfigureAwait(false);
            if (earlier is null)
            {
                continue; // expired between the two calls: claim again
            }
            if (earlier.Value.Status == Done)
            {
                LogRedelivery(logger, earlier.Value.HttpStatus);
                return new TurnOutcome(earlier.Value.HttpStatus, earlier.Value.Body);
            }
            if (timeProvider.GetUtcNow() - earlier.Value.StartedAt > settings.AbandonedTurnAfter)
            {
                // The first attempt may have called Aria before its process died: never run it again.
                LogAbandoned(logger);
                var closed = new DeliveryRecord { Status = Done, HttpStatus = 200, StartedAt = earlier.Value.StartedAt };
                await storage.WriteAsync(key, closed, earlier.ETag, timeProvider.GetUtcNow() + settings.RedeliveryWindow, cancellationToken).ConfigureAwait(false);
                return TurnOutcome.Ok;
            }
            if (timeProvider.GetUtcNow() >= deadline)
            {
                LogQueueTimeout(logger, settings.TurnQueueTimeout);
                return new TurnOutcome(503, RetryAfter: settings.TurnQueueTimeout);
            }
            // Another process runs this activity right now; its outcome will be stored shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TurnOutcome> RunTurnAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity)
    {
        var expectReplies = activity.DeliveryMode == DeliveryModes.ExpectReplies;
        var buffer = expectReplies ? new ExpectRepliesConnector() : null;
        var turnConnector = buffer ?? connector ?? throw new ArgumentNullException(nameof(connector), "Normal delivery needs a channel connector.");
        InvokeResponse? invokeResponse = null;
        try
        {
            // The turn runs to its end even if the caller hangs up: stopping half-way could leave a half-done
            // write. Only host shutdown cancels it.
            await adapter.ProcessActivityAsync(activity, turnConnector, identity, async (turnContext, token) =>
            {
                await bot.OnTurnAsync(turnContext, token).ConfigureAwait(false);
                invokeResponse = turnContext.TurnState.Get<InvokeResponse>(ActivityHandler.InvokeResponseKey);
            }, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The process must survive anything a bot throws; the turn is reported as failed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogTurnFailed(logger, exception);
            return new TurnOutcome(500);
        }

        if (activity.IsType(ActivityTypes.Invoke))
        {
            return invokeResponse is null
                ? new TurnOutcome(501)
                : new TurnOutcome(invokeResponse.Status, invokeResponse.Body);
        }
        if (buffer is not null)
        {
            var body = JsonSerializer.SerializeToElement(new ExpectedReplies { Activities = [.. buffer.Activities] }, BotJson.Options);
            return new TurnOutcome(200, body);
        }
        return TurnOutcome.Ok;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Turn refused: the conversation's previous turn still ran after {Timeout}")]
    private static partial void LogQueueTimeout(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered activity answered from its first outcome ({Status}); the turn did not run again")]
    private static partial void LogRedelivery(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redelivered activity whose first turn never finished (process stopped?); not running it again")]
    private static partial void LogAbandoned(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn failed")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception);
}
