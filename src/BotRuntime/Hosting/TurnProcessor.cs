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

/// <summary>
/// Runs one incoming activity as a turn, whatever the ingress: one turn at a time per conversation, a
/// redelivered activity never runs twice (its first outcome is answered again), expectReplies and invoke
/// answers assembled, and every log line of the turn tagged with the conversation and activity ids.
/// </summary>
/// <remarks>
/// Each activity's delivery record (<c>deliveries/{channel}/{conversation}/{activity}</c>) names the process
/// incarnation running it (<see cref="ProcessIncarnation"/>). When that process died mid-turn, the activity is not run
/// again (it may have called Aria): the bot is asked instead to tell the customer where things stand
/// (<see cref="IInterruptedTurnBot"/>) — on the redelivery, on Direct Line's resumed inbox, or, for Bot Connector
/// channels with no redelivery, proactively through <see cref="InterruptedTurnSweep"/>.
/// </remarks>
public sealed partial class TurnProcessor(
    ChannelAdapter adapter,
    IBot bot,
    IStorage storage,
    IEnumerable<ITurnReadAheadKeys> readAheadKeys,
    ConversationLocks locks,
    BusyNotices busyNotices,
    ProcessIncarnation incarnation,
    IOptions<BotOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<TurnProcessor> logger)
{
    private const string Running = "running";
    private const string Done = "done";

    /// <summary>Prefix of the markers of turns in flight that a proactive notice could reach (Bot Connector channels).</summary>
    internal const string InFlightPrefix = "inflight-deliveries/";

    /// <summary>What a bot without <see cref="IInterruptedTurnBot"/> says about a turn its process died in.</summary>
    public const string DefaultInterruptedText =
        "Sorry, I was interrupted while working on your last message and couldn't finish it. Please check where things stand before sending it again.";

    private sealed record InFlightMarker(string DeliveryKey);

    private enum ClaimKind { Fresh, Interrupted, Answered }

    /// <summary>
    /// Processes <paramref name="activity"/>. <paramref name="connector"/> carries replies for normal delivery;
    /// for <c>expectReplies</c> the replies are collected into the outcome instead and it may be null.
    /// </summary>
    public Task<TurnOutcome> ProcessAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity, CancellationToken cancellationToken = default) =>
        ProcessCoreAsync(activity, connector, identity, [], null, cancellationToken);

    /// <summary>
    /// Processes <paramref name="activity"/> and stores <paramref name="closeWith"/> in the same write as its done record
    /// (<see cref="ClosingWrites.Stored"/> says whether that happened).
    /// </summary>
    public Task<TurnOutcome> ProcessAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity, ClosingWrites closeWith, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closeWith);
        return ProcessCoreAsync(activity, connector, identity, [], closeWith, cancellationToken);
    }

    /// <summary>
    /// Processes <paramref name="activity"/> unless one of <paramref name="refuseIfAny"/> is in the store: then nothing runs
    /// or is written and the answer is <see cref="TurnOutcome.Refused"/>. With shared leases (PostgreSQL) that check is
    /// made in the round trip that starts the turn (issue 22), otherwise by a read before it.
    /// </summary>
    public Task<TurnOutcome> ProcessAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity,
        IReadOnlyCollection<string> refuseIfAny, CancellationToken cancellationToken) =>
        ProcessCoreAsync(activity, connector, identity, refuseIfAny, null, cancellationToken);

    private async Task<TurnOutcome> ProcessCoreAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity,
        IReadOnlyCollection<string> refuseIfAny, ClosingWrites? closeWith, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(refuseIfAny);
        if (refuseIfAny.Count > 0 && !locks.SharesLeases && LocalReadAheadStore is null && (await storage.ReadAsync(refuseIfAny, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return TurnOutcome.Refused;
        }
        using var scope = logger.BeginScope(new TurnLogScope(activity.Conversation?.Id, activity.Id, activity.ChannelId));
        var settings = options.Value;
        var deliveryKey = string.IsNullOrEmpty(activity.Id) ? null : DeliveryKey(activity, identity);
        // Only a Bot Connector conversation can be told proactively; Direct Line resumes its own inbox instead.
        var reference = connector is BotConnectorConnector ? activity.GetConversationReference() : null;
        // With shared leases (PostgreSQL) the claim is written and the conversation's state read in the same round trip
        // as the lease is taken (issue 22); the claim is still committed before the turn runs (invariant 5).
        ConversationLocks.TurnLease? lease;
        try
        {
            lease = await locks.TryAcquireAsync(activity.ConversationKey, settings.TurnQueueTimeout,
                () => new TurnStart(
                    deliveryKey is null ? new Dictionary<string, StoreWrite>() : ClaimChanges(deliveryKey, reference, settings),
                    ReadAheadKeys(activity, identity)) { RefuseIfAny = locks.SharesLeases ? refuseIfAny : [] },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TurnRefusedException)
        {
            return TurnOutcome.Refused;
        }
        await using var leaseScope = lease;
        if (lease is null)
        {
            LogQueueTimeout(logger, settings.TurnQueueTimeout);
            await busyNotices.TellAsync(activity, connector, cancellationToken).ConfigureAwait(false);
            return new TurnOutcome(503, RetryAfter: settings.TurnQueueTimeout);
        }
        // Every write from here on, the delivery claim included, carries the lease's fencing token (PostgreSQL).
        lease.EnterTurn();
        using var localReadAhead = await ReadAheadLocallyAsync(activity, identity, refuseIfAny, cancellationToken).ConfigureAwait(false);
        if (!localReadAhead.Enter())
        {
            return TurnOutcome.Refused;
        }

        var interrupted = false;
        if (deliveryKey is not null)
        {
            ClaimKind kind;
            TurnOutcome? earlier;
            try
            {
                (kind, earlier) = await ClaimDeliveryAsync(deliveryKey, reference, settings, lease.Start?.Claimed, cancellationToken).ConfigureAwait(false);
            }
            catch (LeaseLostException)
            {
                // Lost before anything ran (a stall past the lease): nothing was claimed, so the caller may simply retry.
                return new TurnOutcome(503, RetryAfter: settings.TurnQueueTimeout);
            }
            if (kind == ClaimKind.Answered)
            {
                return earlier!;
            }
            interrupted = kind == ClaimKind.Interrupted;
        }

        // The done record normally commits with the turn's state and transcript lines (one write); when that write did
        // not happen or the outcome changed after it, it is written here as before.
        var close = deliveryKey is null ? null : new DeliveryClose(deliveryKey, interrupted, reference is not null, closeWith);
        var (outcome, closed) = await RunTurnAsync(activity, connector, identity, interrupted ? TellInterruptedAsync : bot.OnTurnAsync, close, settings).ConfigureAwait(false);

        if (close is not null && !closed)
        {
            // Unfenced: even a turn that lost its lease must be remembered as run, or a redelivery would run it again.
            lease.Fence?.End();
            await CloseDeliveryAsync(close, outcome, settings).ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>
    /// Marks the activity as running (under this incarnation), or says what to do when it was seen before: answer its
    /// stored outcome; 503 while a live process still runs it; or, when that process died mid-turn, take it over to
    /// tell the customer (never to run it again). <paramref name="claimedWithLease"/>: the first claim's outcome when it
    /// was written together with the lease (true: claimed; false: seen before), null when it still has to be written.
    /// </summary>
    private async Task<(ClaimKind Kind, TurnOutcome? Earlier)> ClaimDeliveryAsync(string key, ConversationReference? reference, BotOptions settings,
        bool? claimedWithLease, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + settings.TurnQueueTimeout;
        if (claimedWithLease == true)
        {
            return (ClaimKind.Fresh, null);
        }
        var seenBefore = claimedWithLease == false;
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            var claim = NewClaim(reference, settings, now);
            if (!seenBefore)
            {
                try
                {
                    await storage.WriteAsync(ClaimChanges(key, reference, settings), cancellationToken).ConfigureAwait(false);
                    return (ClaimKind.Fresh, null);
                }
                catch (StorageConflictException)
                {
                    // Seen before (only the claim is create-only): decide below.
                }
            }
            seenBefore = false;
            var earlier = await storage.ReadAsync<DeliveryRecord>(key, cancellationToken).ConfigureAwait(false);
            if (earlier is null)
            {
                continue; // expired between the two calls: claim again
            }
            if (earlier.Value.Status == Done)
            {
                LogRedelivery(logger, earlier.Value.HttpStatus);
                return (ClaimKind.Answered, new TurnOutcome(earlier.Value.HttpStatus, DeliveryBody.UnpackUtf8(earlier.Value.Body, earlier.Value.PackedBody)));
            }
            if (await WasCutOffAsync(earlier.Value, settings, cancellationToken).ConfigureAwait(false))
            {
                // Take it over (eTag: one taker, even across instances); the notice runs under this incarnation.
                claim.Interrupted = true;
                claim.Reference = earlier.Value.Reference ?? reference;
                try
                {
                    await storage.WriteAsync(key, claim, earlier.ETag, now + settings.RedeliveryWindow, cancellationToken).ConfigureAwait(false);
                }
                catch (StorageConflictException)
                {
                    continue;
                }
                LogInterrupted(logger, earlier.Value.Incarnation);
                return (ClaimKind.Interrupted, null);
            }
            if (timeProvider.GetUtcNow() >= deadline)
            {
                LogQueueTimeout(logger, settings.TurnQueueTimeout);
                return (ClaimKind.Answered, new TurnOutcome(503, RetryAfter: settings.TurnQueueTimeout));
            }
            // Another process runs this activity right now; its outcome will be stored shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private DeliveryRecord NewClaim(ConversationReference? reference, BotOptions settings, DateTimeOffset now) =>
        new() { Status = Running, StartedAt = now, Incarnation = incarnation.Id, LeaseUntil = now + settings.InstanceLease, Reference = reference };

    /// <summary>The claim of a fresh activity: its running record (create-only) and, for Bot Connector channels, its in-flight marker.</summary>
    private Dictionary<string, StoreWrite> ClaimChanges(string key, ConversationReference? reference, BotOptions settings)
    {
        var now = timeProvider.GetUtcNow();
        var changes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal) { [key] = Write(NewClaim(reference, settings, now), null, now + settings.RedeliveryWindow) };
        if (reference is not null)
        {
            changes[InFlightPrefix + key] = Write(new InFlightMarker(key), StoreWrite.AnyETag, now + settings.RedeliveryWindow);
        }
        return changes;
    }

    /// <summary>True when the process that claimed the turn is gone: proven ended (its lock file is free), or it stopped renewing its lease.</summary>
    private async Task<bool> WasCutOffAsync(DeliveryRecord record, BotOptions settings, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (record.Incarnation is not { } owner)
        {
            // Written before incarnations were recorded: only its age can tell.
            return now - record.StartedAt > settings.AbandonedTurnAfter;
        }
        return await incarnation.CheckAsync(owner, cancellationToken).ConfigureAwait(false) switch
        {
            IncarnationState.Ended => true,
            IncarnationState.Lapsed => now > (record.LeaseUntil ?? record.StartedAt),
            _ => false,
        };
    }

    private async Task CloseDeliveryAsync(DeliveryClose close, TurnOutcome outcome, BotOptions settings)
    {
        await storage.WriteAsync(DoneChanges(close, outcome, settings), CancellationToken.None).ConfigureAwait(false);
        close.Also?.MarkStored();
    }

    /// <summary>
    /// Tells a Bot Connector conversation, proactively, about a turn whose process died and that no redelivery has
    /// come for: takes the delivery record over (one taker across instances) and runs the bot's notice through
    /// <paramref name="connector"/>. False when the record was taken, finished or is still alive.
    /// </summary>
    internal async Task<bool> SettleInterruptedAsync(string key, ConversationReference reference, IChannelConnector connector, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var activity = new Activity { Type = ActivityTypes.Event, Name = "interruptedTurn" }.ApplyConversationReference(reference, isIncoming: true);
        using var scope = logger.BeginScope(new TurnLogScope(reference.Conversation?.Id, reference.ActivityId, reference.ChannelId));
        await using var lease = await locks.TryAcquireAsync(activity.ConversationKey, settings.TurnQueueTimeout, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }
        lease.EnterTurn();
        var earlier = await storage.ReadAsync<DeliveryRecord>(key, cancellationToken).ConfigureAwait(false);
        if (earlier is null || earlier.Value.Status == Done || !await WasCutOffAsync(earlier.Value, settings, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        var now = timeProvider.GetUtcNow();
        var claim = new DeliveryRecord
        {
            Status = Running, StartedAt = now, Incarnation = incarnation.Id, LeaseUntil = now + settings.InstanceLease, Interrupted = true, Reference = reference,
        };
        try
        {
            await storage.WriteAsync(key, claim, earlier.ETag, now + settings.RedeliveryWindow, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return false;
        }
        LogInterrupted(logger, earlier.Value.Incarnation);
        var close = new DeliveryClose(key, Interrupted: true, HadMarker: true);
        var (outcome, closed) = await RunTurnAsync(activity, connector, identity: null, TellInterruptedAsync, close, settings).ConfigureAwait(false);
        if (!closed)
        {
            lease.Fence?.End();
            await CloseDeliveryAsync(close, outcome, settings).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The interrupted turn's stand-in: the bot's own notice, or the runtime's plain apology.</summary>
    private Task TellInterruptedAsync(ITurnContext turnContext, CancellationToken cancellationToken) => bot is IInterruptedTurnBot aware
        ? aware.OnInterruptedTurnAsync(turnContext, cancellationToken)
        : turnContext.SendActivityAsync(DefaultInterruptedText, cancellationToken: cancellationToken);

    // Serialised once, straight to UTF-8 (issue 22): the memory store keeps those bytes, the others send them as they are.
    private static StoreWrite Write<T>(T value, string? eTag, DateTimeOffset expiresAt) => StoreWrite.Of(value, StateJson.Options, eTag, expiresAt);

    // A turn's claim and done record are written by hand (DeliveryRecordJson): the serializer's bytes, at less cost.
    private static StoreWrite Write(DeliveryRecord value, string? eTag, DateTimeOffset expiresAt) => StoreWrite.Of(value, DeliveryRecordJson.Options, eTag, expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Turn refused: the conversation's previous turn still ran after {Timeout}")]
    private static partial void LogQueueTimeout(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered activity answered from its first outcome ({Status}); the turn did not run again")]
    private static partial void LogRedelivery(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The process running this turn ({Incarnation}) died before it finished; not running it again, telling the customer instead")]
    private static partial void LogInterrupted(ILogger logger, string? incarnation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn failed")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception);
}
