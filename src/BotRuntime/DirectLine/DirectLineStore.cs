using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

// The store is split by what it keeps: this file has the layout, the conversation record and the inbox; DirectLineStore.Log.cs
// the activity log (posts, replies, updates and the reads behind GET and the stream).
namespace BotRuntime.DirectLine;

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

    /// <summary>The key of the conversation record (named for a turn's read-ahead).</summary>
    internal static string RecordKey(string id) => ConversationKey(id);
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
        return await TryWriteAsync(new Dictionary<string, StoreWrite> { [ConversationKey(record.Id)] = Write(record, null) }, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The conversations with queued turns (read at start-up).</summary>
    public async Task<IReadOnlyList<string>> ConversationsWithInboxAsync(CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(InboxPrefix, 10_000, cancellationToken).ConfigureAwait(false);
        return items.Select(pair => pair.Key[InboxPrefix.Length..pair.Key.LastIndexOf('/')]).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The oldest queued turn of a conversation.</summary>
    public async Task<(long Seq, DirectLineInboxItem Item)?> NextInboxAsync(string conversationId, CancellationToken cancellationToken) =>
        (await PeekInboxAsync(conversationId, cancellationToken).ConfigureAwait(false)).Next;

    /// <summary>
    /// The oldest queued turn of a conversation, and whether another was queued behind it when it was read (two entries
    /// read instead of one, in the same round trip): a drain that ran the last entry it saw needs no read to find the
    /// inbox empty (issue 22).
    /// </summary>
    internal async Task<((long Seq, DirectLineInboxItem Item)? Next, bool More)> PeekInboxAsync(string conversationId, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(InboxConversationPrefix(conversationId), 2, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return (null, false);
        }
        var (key, item) = items[0];
        var seq = long.Parse(key.AsSpan(key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return ((seq, item.Document.Deserialize<DirectLineInboxItem>(StateJson.Options)!), items.Count > 1);
    }

    public async Task<bool> IsQueuedAsync(string conversationId, long seq, CancellationToken cancellationToken)
    {
        var key = InboxKey(conversationId, seq);
        return (await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false)).ContainsKey(key);
    }

    public Task CompleteInboxAsync(string conversationId, long seq, CancellationToken cancellationToken) =>
        storage.DeleteAsync([InboxKey(conversationId, seq)], cancellationToken);

    /// <summary>
    /// The end of an inbox entry as a write, for the turn's closing write (issue 22: no delete of its own after the
    /// turn): the entry is overwritten by an empty document that has already expired, so every read takes it as absent at
    /// once and the purge removes it. It expired long ago rather than "now", so an instance whose clock lags this one's
    /// does not see it queued either. Unconditional (<c>"*"</c>): it can never make the closing write conflict.
    /// </summary>
    internal IReadOnlyDictionary<string, StoreWrite> InboxEnd(string conversationId, long seq) => new Dictionary<string, StoreWrite>(StringComparer.Ordinal)
    {
        [InboxKey(conversationId, seq)] = new(EmptyDocument, StoreWrite.AnyETag, DateTimeOffset.UnixEpoch),
    };

    private static readonly JsonElement EmptyDocument = JsonDocument.Parse("{}").RootElement.Clone();

    // Serialised once to UTF-8, which the stores keep or bind as they are (issue 22: no parsed element per write).
    private StoreWrite Write<T>(T value, string? eTag) => StoreWrite.Of(value, StateJson.Options, eTag, Expiry());

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
