using System.Globalization;
using System.Text.Json;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.DirectLine;

/// <summary>The activity log: a user's post (with its inbox entry, in one write), the bot's replies and updates, and the reads behind GET and the stream.</summary>
public sealed partial class DirectLineStore
{
    /// <summary>
    /// Stores a user's activity in the log (the echo) and queues its turn, after a conversation-update for the
    /// user when the bot has not been told yet. A post whose <paramref name="clientActivityId"/> was seen before
    /// is a retry: nothing is stored and the first post's id is returned.
    /// </summary>
    public async Task<PostedActivity> PostAsync(string conversationId, Activity activity, string? clientActivityId, DirectLineInboxItem inbox, Func<DirectLineConversationRecord, DirectLineInboxItem?> userJoined, CancellationToken cancellationToken, Stored<DirectLineConversationRecord>? read = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(userJoined);
        var clientKey = clientActivityId is { Length: > 0 } ? ClientKey(conversationId, clientActivityId) : null;
        // The retry marker is written create-only with the post, so a retry cannot slip through unread: its write conflicts
        // and the loop's next pass finds the marker. The first pass therefore skips that read (one round trip per post).
        var lostRace = false;
        while (true)
        {
            if (lostRace && clientKey is not null && await ReadRetryAsync(clientKey, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                return earlier;
            }
            lostRace = true;
            // The request's own read of the record is tried first (its eTag guards the write); after a lost race, a fresh one.
            var stored = read ?? await storage.ReadAsync<DirectLineConversationRecord>(ConversationKey(conversationId), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The conversation does not exist.");
            read = null;
            var record = stored.Value;
            var changes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal);
            if (!record.UserAdded)
            {
                record.UserAdded = true;
                if (userJoined(record) is { } joined)
                {
                    record.Seq++;
                    joined.Activity.Id = ActivityId(conversationId, record.Seq);
                    changes[InboxKey(conversationId, record.Seq)] = Write(joined, null);
                }
            }
            record.Seq++;
            var seq = record.Seq;
            activity.Id = ActivityId(conversationId, seq);
            inbox.Activity = activity;
            changes[ActivityKey(conversationId, seq)] = Write(activity, null);
            changes[InboxKey(conversationId, seq)] = Write(inbox, null);
            if (clientKey is not null)
            {
                changes[clientKey] = Write(new ClientPost { Id = activity.Id, Seq = seq }, null);
            }
            changes[ConversationKey(conversationId)] = Write(record, stored.ETag);
            if (await TryWriteAsync(changes, cancellationToken).ConfigureAwait(false))
            {
                return new PostedActivity(activity.Id, seq, IsRetry: false);
            }
            // Lost a race: either another post of the conversation (retry with the new counter) or the same
            // client post arriving twice at once (the loop's first read answers it as a retry).
        }
    }

    private sealed class ClientPost
    {
        public string Id { get; set; } = "";
        public long Seq { get; set; }
    }

    private async Task<PostedActivity?> ReadRetryAsync(string clientKey, CancellationToken cancellationToken)
    {
        var earlier = await storage.ReadAsync<ClientPost>(clientKey, cancellationToken).ConfigureAwait(false);
        return earlier is null ? null : new PostedActivity(earlier.Value.Id, earlier.Value.Seq, IsRetry: true);
    }

    /// <summary>
    /// Appends an activity the bot sent; gives it the next id. <paramref name="read"/> is the record as the turn's previous
    /// reply left it (returned here): a turn's second reply needs no read, and a stale record only costs a retry.
    /// </summary>
    public async Task<(string Id, long Seq, Stored<DirectLineConversationRecord> Record)> AppendAsync(string conversationId, Activity activity, Stored<DirectLineConversationRecord>? read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        while (true)
        {
            var stored = read ?? await storage.ReadAsync<DirectLineConversationRecord>(ConversationKey(conversationId), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The Direct Line conversation no longer exists (its retention period passed).");
            read = null;
            var record = stored.Value;
            record.Seq++;
            activity.Id = ActivityId(conversationId, record.Seq);
            var changes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal)
            {
                [ActivityKey(conversationId, record.Seq)] = Write(activity, null),
                [ConversationKey(conversationId)] = Write(record, stored.ETag),
            };
            try
            {
                var written = await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
                return (activity.Id, record.Seq, new Stored<DirectLineConversationRecord>(record, written[ConversationKey(conversationId)]));
            }
            catch (StorageConflictException)
            {
                // Another post or reply (or a sign-out) changed the record: read it again.
            }
        }
    }

    /// <summary>Replaces a logged activity in place (update, or a delete's tombstone); false when it is not in the log.</summary>
    public async Task<bool> ReplaceAsync(string conversationId, long seq, Activity activity, CancellationToken cancellationToken)
    {
        var key = ActivityKey(conversationId, seq);
        var items = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        if (!items.TryGetValue(key, out var current))
        {
            return false;
        }
        await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = Write(activity, current.ETag) }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The logged activities after <paramref name="watermark"/> (at most a page), and the watermark to ask from
    /// next. The record is read first: every sequence number up to its counter is already committed (one atomic
    /// write each), so the returned watermark never skips an activity that commits later.
    /// </summary>
    public Task<(List<Activity> Activities, long Watermark)> ReadSinceAsync(string conversationId, long watermark, CancellationToken cancellationToken) =>
        ReadSinceAsync(conversationId, watermark, long.MaxValue, cancellationToken);

    /// <summary>As <see cref="ReadSinceAsync(string, long, CancellationToken)"/>, reading no further than <paramref name="upTo"/>.</summary>
    public async Task<(List<Activity> Activities, long Watermark)> ReadSinceAsync(string conversationId, long watermark, long upTo, CancellationToken cancellationToken) =>
        await ReadSinceAsync(conversationId, await GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false), watermark, upTo, cancellationToken).ConfigureAwait(false);

    /// <summary>As above, from a <paramref name="record"/> the caller has just read (a poll reads it to authorise the request).</summary>
    public async Task<(List<Activity> Activities, long Watermark)> ReadSinceAsync(string conversationId, DirectLineConversationRecord? record, long watermark, long upTo, CancellationToken cancellationToken) =>
        await ReadSinceAsync(conversationId, record, null, watermark, upTo, cancellationToken).ConfigureAwait(false);

    /// <summary>As above, serving the page from <paramref name="log"/> (read with the record) when it covers it.</summary>
    internal async Task<(List<Activity> Activities, long Watermark)> ReadSinceAsync(string conversationId, DirectLineConversationRecord? record, LogReadAhead? log, long watermark, long upTo, CancellationToken cancellationToken)
    {
        var (entries, next) = await ReadLogSinceAsync(conversationId, record, log, watermark, upTo, cancellationToken).ConfigureAwait(false);
        return (entries.ConvertAll(entry => entry.Activity), next);
    }

    /// <summary>How many log entries after its watermark a poll reads together with the record (a turn's echo and replies).</summary>
    internal const int PollReadAhead = 8;

    /// <summary>
    /// The record and the first <see cref="PollReadAhead"/> sequence numbers after <paramref name="watermark"/>, in one read
    /// (issue 22: a poll that finds new activities made two round trips, the record's and the log's). One read of several
    /// keys is one snapshot in every store (a multi-key write is seen whole or not at all), so every number up to the
    /// record's counter that is in the log is among what was read; numbers past the counter are never served.
    /// </summary>
    internal async Task<(Stored<DirectLineConversationRecord>? Record, LogReadAhead? Log)> ReadConversationWithLogAsync(string conversationId, long watermark, CancellationToken cancellationToken)
    {
        if (!IsWellFormedConversationId(conversationId))
        {
            return (null, null);
        }
        var from = Math.Max(0, watermark) + 1;
        var recordKey = ConversationKey(conversationId);
        var keys = new List<string>(1 + PollReadAhead) { recordKey };
        for (var seq = from; seq < from + PollReadAhead; seq++)
        {
            keys.Add(ActivityKey(conversationId, seq));
        }
        var found = await storage.ReadAsync(keys, cancellationToken).ConfigureAwait(false);
        if (!found.TryGetValue(recordKey, out var item))
        {
            return (null, null);
        }
        var record = item.Document.Deserialize<DirectLineConversationRecord>(StateJson.Options)
            ?? throw new InvalidOperationException($"'{recordKey}' holds null where a conversation record was expected.");
        return (new Stored<DirectLineConversationRecord>(record, item.ETag), new LogReadAhead(from, from + PollReadAhead - 1, found));
    }

    /// <summary>
    /// As <see cref="ReadSinceAsync(string, long, long, CancellationToken)"/>, each activity with its sequence number: the
    /// stream sends every activity in a frame of its own, whose watermark is that number.
    /// </summary>
    public async Task<(List<LoggedActivity> Entries, long Watermark)> ReadLogSinceAsync(string conversationId, long watermark, long upTo, CancellationToken cancellationToken) =>
        await ReadLogSinceAsync(conversationId, await GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false), watermark, upTo, cancellationToken).ConfigureAwait(false);

    /// <summary>As above, from a <paramref name="record"/> the caller has just read (a stream's keep-alive tick also checks it for a sign-out).</summary>
    internal Task<(List<LoggedActivity> Entries, long Watermark)> ReadLogSinceAsync(string conversationId, DirectLineConversationRecord? record, long watermark, long upTo, CancellationToken cancellationToken) =>
        ReadLogSinceAsync(conversationId, record, null, watermark, upTo, cancellationToken);

    private async Task<(List<LoggedActivity> Entries, long Watermark)> ReadLogSinceAsync(string conversationId, DirectLineConversationRecord? record, LogReadAhead? log, long watermark, long upTo, CancellationToken cancellationToken)
    {
        List<LoggedActivity> entries = [];
        if (record is null || record.Seq <= watermark)
        {
            return (entries, Math.Max(0, watermark));
        }
        var from = Math.Max(0, watermark) + 1;
        var to = Math.Min(Math.Min(record.Seq, upTo), from + PageSize - 1);
        if (to < from)
        {
            return (entries, Math.Max(0, watermark));
        }
        if (to - from < ExactReadLimit)
        {
            // A poll or a stream wake-up usually wants the two or three activities of the last turn: their keys are known,
            // so one read of exactly those (one round trip) instead of a prefix read per key (from 5 to 7: three reads).
            var keys = new List<string>((int)(to - from + 1));
            for (var seq = from; seq <= to; seq++)
            {
                keys.Add(ActivityKey(conversationId, seq));
            }
            // Read with the record (a poll) when that read covers the whole range: no round trip of its own.
            var found = log is not null && log.From == from && to <= log.To
                ? log.Items
                : await storage.ReadAsync(keys, cancellationToken).ConfigureAwait(false);
            for (var seq = from; seq <= to; seq++)
            {
                // A missing number was an inbox-only event (conversationUpdate) or has expired: the log has gaps by design.
                if (found.TryGetValue(keys[(int)(seq - from)], out var item))
                {
                    entries.Add(new LoggedActivity(seq, item.Document.Deserialize<Activity>(StateJson.Options)!));
                }
            }
            return (entries, to);
        }
        // Keys are zero-padded, so a longer range (a replay) is a handful of key prefixes: no full scan per poll.
        foreach (var prefix in CoveringPrefixes(from, to))
        {
            var items = await storage.ReadPrefixAsync(ActivityPrefix(conversationId) + prefix, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var (key, item) in items)
            {
                var seq = long.Parse(key.AsSpan(key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
                if (seq >= from && seq <= to)
                {
                    entries.Add(new LoggedActivity(seq, item.Document.Deserialize<Activity>(StateJson.Options)!));
                }
            }
        }
        return (entries, to);
    }

    /// <summary>Ranges shorter than this are read by their keys in one call; longer ones (a replay) by key prefixes.</summary>
    private const int ExactReadLimit = 32;

    /// <summary>Prefixes of 10-digit keys that together cover exactly [from, to].</summary>
    internal static IEnumerable<string> CoveringPrefixes(long from, long to)
    {
        while (from <= to)
        {
            var digits = 0;
            long block = 1;
            while (digits < 10 && from % (block * 10) == 0 && from + (block * 10) - 1 <= to)
            {
                block *= 10;
                digits++;
            }
            yield return from.ToString("D10", CultureInfo.InvariantCulture)[..(10 - digits)];
            from += block;
        }
    }
}

/// <summary>Log entries read together with the conversation record (<see cref="DirectLineStore.ReadConversationWithLogAsync"/>): sequence numbers <paramref name="From"/> to <paramref name="To"/>, the ones found in <paramref name="Items"/>.</summary>
internal sealed record LogReadAhead(long From, long To, IReadOnlyDictionary<string, StoreItem> Items);
