using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Hosting;

public sealed partial class TurnProcessor
{
    /// <summary>An activity's delivery record; a turn writes it through <see cref="DeliveryRecordJson"/>.</summary>
    internal sealed class DeliveryRecord
    {
        public string Status { get; set; } = Running;
        public int HttpStatus { get; set; }
        public JsonElement? Body { get; set; }
        /// <summary>A small body as the answer's own UTF-8, written as <c>body</c> instead of <see cref="Body"/> (never parsed to be stored).</summary>
        [JsonIgnore]
        internal byte[]? BodyUtf8 { get; set; }
        /// <summary>A large body, compressed (<see cref="DeliveryBody"/>; base64 in the JSON); <see cref="Body"/> is then null.</summary>
        public byte[]? PackedBody { get; set; }
        public DateTimeOffset StartedAt { get; set; }
        /// <summary>The process incarnation running the turn; null in records written before incarnations were recorded.</summary>
        public string? Incarnation { get; set; }
        /// <summary>Until then the turn counts as alive even if its incarnation's record cannot be found (not yet written).</summary>
        public DateTimeOffset? LeaseUntil { get; set; }
        /// <summary>True when the outcome is the notice about an interrupted turn, not the turn's own.</summary>
        public bool Interrupted { get; set; }
        /// <summary>Where a proactive notice may go (Bot Connector channels only; checked against the trusted serviceUrl).</summary>
        public ConversationReference? Reference { get; set; }
    }

    /// <summary>Which delivery record a turn closes, and how; <paramref name="Also"/>: the ingress's writes that go with it.</summary>
    private sealed record DeliveryClose(string Key, bool Interrupted, bool HadMarker, ClosingWrites? Also = null);

    /// <summary>
    /// Where an activity's delivery record lives. An unauthenticated caller chooses every id, including activity ids
    /// like our Direct Line's predictable <c>{conversation}|{seq}</c>: its records are kept apart, so it can neither
    /// pre-claim another ingress's next activity (which would then never run) nor read another's stored outcome.
    /// The authenticated ingresses keep the original key shape, so records written before the upgrade still count.
    /// </summary>
    internal static string DeliveryKey(Activity activity, ClaimsIdentity? identity)
    {
        // One string per turn, not the tail and then the key around it.
        var prefix = TurnIngresses.Of(identity) switch
        {
            TurnIngress.Anonymous => "deliveries/anonymous/",
            TurnIngress.SlackEvents => "deliveries/slack-events/",
            _ => "deliveries/",
        };
        return $"{prefix}{activity.ChannelId}/{activity.Conversation?.Id}/{activity.Id}";
    }

    /// <summary>The done record (with the outcome to answer a redelivery) and, when there was one, the in-flight marker's end.</summary>
    private Dictionary<string, StoreWrite> DoneChanges(DeliveryClose close, TurnOutcome outcome, BotOptions settings)
    {
        var now = timeProvider.GetUtcNow();
        var (body, packed) = DeliveryBody.PackForRecord(outcome.Body);
        var record = new DeliveryRecord { Status = Done, HttpStatus = outcome.StatusCode, BodyUtf8 = body, PackedBody = packed, StartedAt = now, Incarnation = incarnation.Id, Interrupted = close.Interrupted };
        var changes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal);
        foreach (var (key, write) in close.Also?.Writes ?? new Dictionary<string, StoreWrite>())
        {
            changes[key] = write;
        }
        changes[close.Key] = Write(record, StoreWrite.AnyETag, now + settings.RedeliveryWindow);
        if (close.HadMarker)
        {
            // Ended in the same write rather than deleted in a second round trip: an item expiring now reads as absent
            // at once (to prefix reads too), and the purge removes it.
            changes[InFlightPrefix + close.Key] = Write(new InFlightMarker(close.Key), StoreWrite.AnyETag, now);
        }
        return changes;
    }

    /// <summary>The keys read together with the lease: the conversation state's and whatever the bot names (<see cref="ITurnReadAheadKeys"/>).</summary>
    private List<string> ReadAheadKeys(Activity activity, ClaimsIdentity? identity)
    {
        var keys = new List<string>(2);
        if (ConversationState.StorageKeyOf(activity) is { } stateKey)
        {
            keys.Add(stateKey);
        }
        foreach (var source in readAheadKeys)
        {
            foreach (var key in source.KeysFor(activity, identity))
            {
                if (!keys.Contains(key, StringComparer.Ordinal))
                {
                    keys.Add(key);
                }
            }
        }
        return keys;
    }

    /// <summary>
    /// Without shared leases, the store that can (SQLite, <see cref="ITurnReadAheadStore"/>) reads what PostgreSQL reads
    /// with the lease — the refusal keys, the conversation state and the keys the bot names — in one read once the
    /// conversation is held here (issue 22).
    /// </summary>
    private ITurnReadAheadStore? LocalReadAheadStore =>
        locks.SharesLeases ? null : storage as ITurnReadAheadStore ?? (storage as Telemetry.InstrumentedStorage)?.Inner as ITurnReadAheadStore;

    private async Task<LocalReadAhead> ReadAheadLocallyAsync(Activity activity, ClaimsIdentity? identity, IReadOnlyCollection<string> refuseIfAny, CancellationToken cancellationToken)
    {
        if (LocalReadAheadStore is not { } store)
        {
            return default;
        }
        try
        {
            return new LocalReadAhead(await store.ReadTurnStartAsync(ReadAheadKeys(activity, identity), refuseIfAny, cancellationToken).ConfigureAwait(false), Refused: false);
        }
        catch (TurnRefusedException)
        {
            return new LocalReadAhead(null, Refused: true);
        }
    }

    /// <summary>A turn's local read-ahead; disposing it drops what the turn did not read, as a lease's end does.</summary>
    private readonly record struct LocalReadAhead(TurnReadAhead? Items, bool Refused) : IDisposable
    {
        /// <summary>
        /// Makes it the turn's read-ahead; false when the turn is refused. Not async: the ambient value must stay set for
        /// the caller.
        /// </summary>
        public bool Enter()
        {
            if (Items is not null)
            {
                TurnReadAhead.Enter(Items);
            }
            return !Refused;
        }

        public void Dispose() => Items?.Clear();
    }

    /// <summary>
    /// Runs the turn through the adapter and works out what the caller is answered. The turn's end-of-turn writes are
    /// gathered (<see cref="TurnWrites"/>): its state, its transcript lines and, through <paramref name="close"/>, its
    /// done record commit in one storage write. <c>Closed</c> says that write stored the done record for the very
    /// outcome returned; otherwise the caller writes it.
    /// </summary>
    private async Task<(TurnOutcome Outcome, bool Closed)> RunTurnAsync(Activity activity, IChannelConnector? connector, ClaimsIdentity? identity,
        BotCallbackHandler turn, DeliveryClose? close, BotOptions settings)
    {
        var expectReplies = activity.DeliveryMode == DeliveryModes.ExpectReplies;
        var buffer = expectReplies ? new ExpectRepliesConnector() : null;
        var turnConnector = buffer ?? connector ?? throw new ArgumentNullException(nameof(connector), "Normal delivery needs a channel connector.");
        InvokeResponse? invokeResponse = null;

        // What the done record said when it was committed: if the turn sends or answers anything after that (an error
        // handler's apology), the outcome differs and the record is written again.
        TurnOutcome? committed = null;
        var committedReplies = -1;
        InvokeResponse? committedInvoke = null;
        var writes = new TurnWrites();
        if (close is not null)
        {
            writes.Closing = () =>
            {
                committedInvoke = invokeResponse;
                var replies = buffer?.Activities;
                committedReplies = replies?.Count ?? -1;
                committed = Outcome(activity, invokeResponse, replies);
                return DoneChanges(close, committed, settings);
            };
        }
        // Flows into the turn's calls only: an async method's changes to the ambient value end with it.
        TurnWrites.Enter(writes);
        try
        {
            // The turn runs to its end even if the caller hangs up: stopping half-way could leave a half-done
            // write. Only host shutdown cancels it.
            await adapter.ProcessActivityAsync(activity, turnConnector, identity, async (turnContext, token) =>
            {
                await turn(turnContext, token).ConfigureAwait(false);
                invokeResponse = turnContext.TurnState.Get<InvokeResponse>(ActivityHandler.InvokeResponseKey);
            }, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The process must survive anything a bot throws; the turn is reported as failed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogTurnFailed(logger, exception);
            MarkAlsoStored(writes, close);
            await WriteLeftoversAsync(writes).ConfigureAwait(false);
            return (new TurnOutcome(500), false);
        }
        MarkAlsoStored(writes, close);
        await WriteLeftoversAsync(writes).ConfigureAwait(false);

        if (writes.Committed && committed is not null)
        {
            var unchanged = activity.IsType(ActivityTypes.Invoke)
                ? ReferenceEquals(invokeResponse, committedInvoke)
                : buffer is null || buffer.Activities.Count == committedReplies;
            if (unchanged)
            {
                // The body serialised for the record is the one answered: serialised once per turn.
                return (committed, true);
            }
        }
        return (Outcome(activity, invokeResponse, buffer?.Activities), false);
    }

    /// <summary>The closing write commits the ingress's writes with the done record (its <c>Closing</c> keys): say so.</summary>
    private static void MarkAlsoStored(TurnWrites writes, DeliveryClose? close)
    {
        if (writes.Committed && close?.Also is { } also)
        {
            also.MarkStored();
        }
    }

    private static TurnOutcome Outcome(Activity activity, InvokeResponse? invokeResponse, IReadOnlyList<Activity>? replies)
    {
        if (activity.IsType(ActivityTypes.Invoke))
        {
            return invokeResponse is null
                ? new TurnOutcome(501)
                : new TurnOutcome(invokeResponse.Status, invokeResponse.Body is { } invokeBody ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(invokeBody).ToArray() : null);
        }
        if (replies is not null)
        {
            // Bytes, not an element: the same UTF-8 the element held, without parsing it into a document (issue 22).
            var body = JsonSerializer.SerializeToUtf8Bytes(new ExpectedReplies { Activities = [.. replies] }, BotJson.Options);
            return new TurnOutcome(200, body);
        }
        return TurnOutcome.Ok;
    }

    /// <summary>
    /// Transcript lines a turn gathered but did not commit (it failed, or its state conflicted): written one by one,
    /// best effort, as they were before writes were gathered.
    /// </summary>
    private async Task WriteLeftoversAsync(TurnWrites writes)
    {
        foreach (var (key, write) in writes.TakeLeftovers())
        {
            try
            {
                await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = write }, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort, as the lines' own writers were: a lost line never fails the turn.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogLeftoverLost(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A line the turn wrote in passing (a transcript line) could not be stored ({ExceptionType})")]
    private static partial void LogLeftoverLost(ILogger logger, string exceptionType);
}
