using System.Globalization;
using System.Text.Json;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace BotRuntime.DirectLine;

/// <summary>
/// One-time upgrade step: versions before the redaction hook stored what customers typed in clear in the Direct Line
/// activity log (<c>dl/c/{id}/a/…</c>) and inbox (<c>dl/inbox/…</c>) for the whole retention period. At start-up, before
/// queued turns resume, every user-authored activity still stored is passed through <see cref="IIncomingActivityRedactor"/>
/// (with <see cref="IncomingRedactionReason.StoredByEarlierVersion"/>) and rewritten when it changes, keeping its key
/// and expiry. A marker key records that the version ran, so later start-ups skip it; instances racing on the same
/// rows are safe (each write is eTag-checked and redacting twice changes nothing).
/// </summary>
public sealed partial class DirectLineRedactionMigration(IStorage storage, IIncomingActivityRedactor redactor, TimeProvider timeProvider, ILogger<DirectLineRedactionMigration> logger)
{
    /// <summary>Bump the version (a new key) when stored rows must be redacted again under new rules.</summary>
    public const string MarkerKey = "dl/migrations/redact-user-activities-v1";

    private const int PageSize = 500;

    // Every character a Direct Line key can hold after its prefix (ids are base64url, then '/', 'a' or 'k', digits, hex).
    private const string KeyAlphabet = "-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz|";

    /// <summary>Runs the migration unless it already ran; returns how many stored activities were rewritten.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if ((await storage.ReadAsync([MarkerKey], cancellationToken).ConfigureAwait(false)).ContainsKey(MarkerKey))
        {
            return 0;
        }
        // Each row once: a page that splits its prefix reads rows again, and redacting redacted text is not always a no-op.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rewritten = await SweepAsync("dl/c/", seen, cancellationToken).ConfigureAwait(false)
            + await SweepAsync(DirectLineStore.InboxPrefix, seen, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(MarkerKey, new Marker { RanAt = timeProvider.GetUtcNow(), Rewritten = rewritten }, StoreWrite.AnyETag, cancellationToken: cancellationToken).ConfigureAwait(false);
        LogMigrated(logger, rewritten);
        // The rewritten rows' older copies may still sit in SQLite's write-ahead log: empty it, so no byte keeps them.
        if (rewritten > 0 && storage is IStorageCheckpoint checkpoint && !await checkpoint.CheckpointAsync(cancellationToken).ConfigureAwait(false))
        {
            LogCheckpointUnfinished(logger);
        }
        return rewritten;
    }

    private sealed class Marker
    {
        public DateTimeOffset RanAt { get; set; }
        public int Rewritten { get; set; }
    }

    /// <summary>
    /// Reads everything under <paramref name="prefix"/> a page at a time: a full page means there may be more, so the
    /// prefix is split by its next character (stores read prefixes, not ranges).
    /// </summary>
    private async Task<int> SweepAsync(string prefix, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(prefix, PageSize, cancellationToken).ConfigureAwait(false);
        var rewritten = 0;
        foreach (var (key, item) in items)
        {
            if (seen.Add(key) && await RedactAsync(key, item, cancellationToken).ConfigureAwait(false))
            {
                rewritten++;
            }
        }
        if (items.Count >= PageSize)
        {
            foreach (var next in KeyAlphabet)
            {
                rewritten += await SweepAsync(prefix + next.ToString(CultureInfo.InvariantCulture), seen, cancellationToken).ConfigureAwait(false);
            }
        }
        return rewritten;
    }

    private async Task<bool> RedactAsync(string key, StoreItem item, CancellationToken cancellationToken)
    {
        JsonElement document;
        if (key.StartsWith(DirectLineStore.InboxPrefix, StringComparison.Ordinal))
        {
            var queued = item.Document.Deserialize<DirectLineInboxItem>(StateJson.Options);
            if (queued?.Activity is not { } activity || await RedactedAsync(activity, cancellationToken).ConfigureAwait(false) is not { } redacted)
            {
                return false;
            }
            queued.Activity = redacted;
            document = JsonSerializer.SerializeToElement(queued, StateJson.Options);
        }
        else if (key.Contains("/a/", StringComparison.Ordinal))
        {
            var activity = item.Document.Deserialize<Activity>(StateJson.Options);
            if (activity is null || await RedactedAsync(activity, cancellationToken).ConfigureAwait(false) is not { } redacted)
            {
                return false;
            }
            document = JsonSerializer.SerializeToElement(redacted, StateJson.Options);
        }
        else
        {
            return false;
        }
        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(document, item.ETag, item.ExpiresAt) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            // Changed meanwhile: another instance redacted it, or its turn completed and removed it.
            return false;
        }
    }

    /// <summary>Only what a user sent: the bot's own replies hold nothing the customer typed.</summary>
    private async Task<Activity?> RedactedAsync(Activity activity, CancellationToken cancellationToken) =>
        activity.From?.Role == RoleTypes.User
            ? await redactor.RedactAsync(activity, IncomingRedactionReason.StoredByEarlierVersion, cancellationToken).ConfigureAwait(false)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Direct Line upgrade: {Count} stored user activities redacted (earlier versions kept them as typed)")]
    private static partial void LogMigrated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Direct Line upgrade: the store's log could not be emptied after redacting (another connection was busy); it is emptied at the next checkpoint or shutdown")]
    private static partial void LogCheckpointUnfinished(ILogger logger);
}
