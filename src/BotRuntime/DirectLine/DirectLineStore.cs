using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

// Longer than 350 lines on purpose (the conversation log, the inbox and the one write that posts to both, so the storage layout is read in one place); the Shape tests' FileSizeTests bound it.
namespace BotRuntime.DirectLine;

/// <summary>A Direct Line conversation as stored: who it belongs to and its activity counter.</summary>
public sealed class DirectLineConversationRecord
{
    public string Id { get; set; } = "";
    /// <summary>The user the conversation's tokens carry (a <c>dl_</c> id unless a secret holder chose another).</summary>
    public string UserId { get; set; } = "";
    public string? UserName { get; set; }
    public string? BindingId { get; set; }
    public string? Locale { get; set; }
    /// <summary>True once <c>POST /conversations</c> ran and the bot was told it joined.</summary>
    public bool Started { get; set; }
    /// <summary>True once the bot was told the user joined (at start when the token names the user, else before the first post).</summary>
    public bool UserAdded { get; set; }
    /// <summary>The last sequence number given out; watermarks are these numbers.</summary>
    public long Seq { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set when the customer signed out: from then on no token opens the conversation (read, post, refresh, stream,
    /// resume); a secret holder still can. A new chat is a new conversation.
    /// </summary>
    public DateTimeOffset? TokensRevokedAt { get; set; }
}

/// <summary>An activity waiting for its turn: kept until the bot has run it, so a restart loses nothing.</summary>
public sealed class DirectLineInboxItem
{
    public Activity Activity { get; set; } = new();
    public string UserId { get; set; } = "";
    public string? BindingId { get; set; }
    public bool ViaSecret { get; set; }

    /// <summary>
    /// Set when <see cref="Activity"/> is the redacted copy: the id under which the posting process holds the activity
    /// as typed, in memory only, for its turn. Absent there (a restart, another instance), the turn runs on the redacted copy.
    /// </summary>
    public string? HeldId { get; set; }
}

/// <summary>The outcome of storing a user's post.</summary>
public sealed record PostedActivity(string Id, long Seq, bool IsRetry);

/// <summary>
/// The Direct Line data in <see cref="IStorage"/>, one document per item so any store (SQLite, PostgreSQL) can
/// share it across instances:
/// <list type="bullet">
/// <item><c>dl/c/{conversationId}</c> — the conversation record, its counter updated under its eTag;</item>
/// <item><c>dl/c/{conversationId}/a/{seq:D10}</c> — the activity log clients read (GET and the stream);</item>
/// <item><c>dl/c/{conversationId}/k/{sha256(clientActivityID)}</c> — the id a client's post got, to answer its retries;</item>
/// <item><c>dl/inbox/{conversationId}/{seq:D10}</c> — activities whose turn has not run yet.</item>
/// </list>
/// Each change is one atomic multi-key write with the conversation's eTag as the condition, so a sequence
/// number is never visible before the ones below it, and everything expires after the retention period.
/// </summary>
public sealed partial class DirectLineStore(IStorage storage, IOptionsMonitor<DirectLineOptions> options, TimeProvider timeProvider)
{
    public const string InboxPrefix = "dl/inbox/";
    private const int PageSize = 200;

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex ConversationIdPattern();

    /// <summary>Conversation ids are ours; anything else in a URL is simply unknown (and never reaches a storage key).</summary>
    public static bool IsWellFormedConversationId(string? id) => id is not null && ConversationIdPattern().IsMatch(id);

    public static string NewConversationId() => Base64Url(RandomNumberGenerator.GetBytes(16));

    public static string NewUserId() => "dl_" + Base64Url(RandomNumberGenerator.GetBytes(12));

    public static string ActivityId(string conversationId, long seq) => $"{conversationId}|{seq.ToString("D7", CultureInfo.InvariantCulture)}";

    /// <summary>The sequence number in one of our activity ids, or null when it is not one of this conversation's.</summary>
    public static long? SeqOf(string conversationId, string? activityId)
    {
        var prefix = conversationId + "|";
        return activityId is not null && activityId.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(activityId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }

    private static string ConversationKey(string id) => $"dl/c/{id}";
    private static string ActivityPrefix(string id) => $"dl/c/{id}/a/";
    private static string ActivityKey(string id, long seq) => ActivityPrefix(id) + seq.ToString("D10", CultureInfo.InvariantCulture);
    private static string ClientKey(string id, string clientActivityId) => $"dl/c/{id}/k/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientActivityId)))}";
    private static string InboxConversationPrefix(string id) => $"{InboxPrefix}{id}/";
    private static string InboxKey(string id, long seq) => InboxConversationPrefix(id) + seq.ToString("D10", CultureInfo.InvariantCulture);

    private DateTimeOffset Expiry() => timeProvider.GetUtcNow() + options.CurrentValue.ActivityRetention;

    public async Task<DirectLineConversationRecord?> GetConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        (await ReadConversationAsync(conversationId, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>The record with its eTag: a post writes under it and a poll reads the log from it, without reading it again.</summary>
    public async Task<Stored<DirectLineConversationRecord>?> ReadConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        IsWellFormedConversationId(conversationId) ? await storage.ReadAsync<DirectLineConversationRecord>(ConversationKey(conversationId), cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Closes the conversation to every token issued for it (<see cref="DirectLineConversationRecord.TokensRevokedAt"/>); false when it is not stored.</summary>
    public async Task<bool> RevokeTokensAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (!IsWellFormedConversationId(conversationId))
        {
            return false;
        }
        while (true)
        {
            var stored = await storage.ReadAsync<DirectLineConversationRecord>(ConversationKey(conversationId), cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return false;
            }
            if (stored.Value.TokensRevokedAt is not null)
            {
                return true;
            }
            stored.Value.TokensRevokedAt = timeProvider.GetUtcNow();
            if (await TryWriteAsync(new Dictionary<string, StoreWrite> { [ConversationKey(conversationId)] = Write(stored.Value, stored.ETag) }, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    /// <summary>Creates the record (tokens/generate and secret-started conversations); false when the id exists.</summary>
    public async Task<bool> CreateConversationAsync(DirectLineConversationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await storage.TryCreateAsync(ConversationKey(record.Id), record, Expiry(), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Marks the conversation started and queues the bot's conversation-start events (produced by
    /// <paramref name="events"/> from the record); returns the last queued sequence number, or null when it had
    /// already started (nothing queued).
    /// </summary>
    public async Task<long?> StartAsync(string conversationId, string? locale, Func<DirectLineConversationRecord, IReadOnlyList<DirectLineInboxItem>> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        while (true)
        {
            var stored = await storage.ReadAsync<DirectLineConversationRecord>(ConversationKey(conversationId), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The conversation does not exist.");
            var record = stored.Value;
            if (record.Started)
            {
                return null;
            }
            record.Started = true;
            record.Locale ??= locale;
            var items = events(record);
            var changes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                record.Seq++;
                item.Activity.Id = ActivityId(conversationId, record.Seq);
                changes[InboxKey(conversationId, record.Seq)] = Write(item, null);
            }
            changes[ConversationKey(conversationId)] = Write(record, stored.ETag);
            if (await TryWriteAsync(changes, cancellationToken).ConfigureAwait(false))
            {
                return record.Seq;
            }
        }
    }

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
        while (true)
        {
            if (clientKey is not null && await ReadRetryAsync(clientKey, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                return earlier;
            }
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
    public async Task<(List<Activity> Activities, long Watermark)> ReadSinceAsync(string conversationId, DirectLineConversationRecord? record, long watermark, long upTo, CancellationToken cancellationToken)
    {
        List<Activity> activities = [];
        if (record is null || record.Seq <= watermark)
        {
            return (activities, Math.Max(0, watermark));
        }
        var from = Math.Max(0, watermark) + 1;
        var to = Math.Min(Math.Min(record.Seq, upTo), from + PageSize - 1);
        if (to < from)
        {
            return (activities, Math.Max(0, watermark));
        }
        // Keys are zero-padded, so a range of sequence numbers is a handful of key prefixes: no full scan per poll.
        foreach (var prefix in CoveringPrefixes(from, to))
        {
            var items = await storage.ReadPrefixAsync(ActivityPrefix(conversationId) + prefix, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var (key, item) in items)
            {
                var seq = long.Parse(key.AsSpan(key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
                if (seq >= from && seq <= to)
                {
                    activities.Add(item.Document.Deserialize<Activity>(StateJson.Options)!);
                }
            }
        }
        return (activities, to);
    }

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

    /// <summary>The conversations with queued turns (read at start-up).</summary>
    public async Task<IReadOnlyList<string>> ConversationsWithInboxAsync(CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(InboxPrefix, 10_000, cancellationToken).ConfigureAwait(false);
        return items.Select(pair => pair.Key[InboxPrefix.Length..pair.Key.LastIndexOf('/')]).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The oldest queued turn of a conversation.</summary>
    public async Task<(long Seq, DirectLineInboxItem Item)?> NextInboxAsync(string conversationId, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(InboxConversationPrefix(conversationId), 1, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return null;
        }
        var (key, item) = items[0];
        var seq = long.Parse(key.AsSpan(key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return (seq, item.Document.Deserialize<DirectLineInboxItem>(StateJson.Options)!);
    }

    public async Task<bool> IsQueuedAsync(string conversationId, long seq, CancellationToken cancellationToken)
    {
        var key = InboxKey(conversationId, seq);
        return (await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false)).ContainsKey(key);
    }

    public Task CompleteInboxAsync(string conversationId, long seq, CancellationToken cancellationToken) =>
        storage.DeleteAsync([InboxKey(conversationId, seq)], cancellationToken);

    private StoreWrite Write<T>(T value, string? eTag) => new(JsonSerializer.SerializeToElement(value, StateJson.Options), eTag, Expiry());

    private async Task<bool> TryWriteAsync(Dictionary<string, StoreWrite> changes, CancellationToken cancellationToken)
    {
        try
        {
            await storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
