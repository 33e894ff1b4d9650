using System.Globalization;
using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace BotRuntime.Slack;

/// <summary>One acknowledged Slack event waiting for its turn (the activity as stored: redacted).</summary>
public sealed class SlackInboxItem
{
    public required Activity Activity { get; set; }
    public required string Channel { get; set; }
    public string? ThreadTs { get; set; }

    /// <summary>The in-memory id of the activity as typed, when its stored copy was redacted (never the text itself).</summary>
    public string? HeldId { get; set; }
}

/// <summary>
/// The durable side of the Slack ingress. An event is acknowledged only after one atomic write has stored it in the
/// inbox and recorded its <c>event_id</c> (create-only): a retry of the same event, on this instance or another, after a
/// restart or not, conflicts and is dropped, and a crash after the acknowledgement leaves the event in the inbox for
/// the next process to run (the customer's "yes" is never lost). Entries are keyed per conversation in arrival order.
/// </summary>
public sealed class SlackInbox(IStorage storage, IOptionsMonitor<SlackOptions> options, TimeProvider timeProvider) : IIngressConversations
{
    private const string Root = "slack-events/";
    private const string InboxRoot = Root + "inbox/";
    private static readonly TimeSpan ConversationRetention = TimeSpan.FromDays(400);
    private long _sequence;

    /// <summary>Stores <paramref name="item"/> unless its dedupe id was seen; false for a retry (nothing stored).</summary>
    public async Task<bool> TryEnqueueAsync(string dedupeId, SlackInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var now = timeProvider.GetUtcNow();
        var conversationKey = item.Activity.ConversationKey;
        // Arrival order within the conversation; the counter breaks ties within one tick, the random part across instances.
        var order = $"{now.UtcTicks.ToString("D20", CultureInfo.InvariantCulture)}-{Interlocked.Increment(ref _sequence):D10}-{Guid.NewGuid():N}";
        var changes = new Dictionary<string, StoreWrite>
        {
            [SeenKey(dedupeId)] = new(JsonSerializer.SerializeToElement(new { at = now }), null, now + options.CurrentValue.EventRetention),
            [InboxPrefix(conversationKey) + order] = new(JsonSerializer.SerializeToElement(item, StateJson.Options), null),
            [ConversationKey(item.Activity.Conversation!.Id!)] = new(JsonSerializer.SerializeToElement(new { at = now }), StoreWrite.AnyETag, now + ConversationRetention),
        };
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

    /// <summary>The conversation's oldest waiting entry.</summary>
    public async Task<(string Key, SlackInboxItem Item)?> NextAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var next = await storage.ReadPrefixAsync(InboxPrefix(conversationKey), 1, cancellationToken).ConfigureAwait(false);
        if (next.Count == 0)
        {
            return null;
        }
        var item = next[0].Value.Document.Deserialize<SlackInboxItem>(StateJson.Options)!;
        return (next[0].Key, item);
    }

    public Task CompleteAsync(string key, CancellationToken cancellationToken) => storage.DeleteAsync([key], cancellationToken);

    /// <summary>Every conversation with waiting entries (at start-up: what a previous process acknowledged but did not run).</summary>
    public async Task<IReadOnlyList<string>> ConversationsWithEntriesAsync(CancellationToken cancellationToken)
    {
        var entries = await storage.ReadPrefixAsync(InboxRoot, 10_000, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(entry => Uri.UnescapeDataString(entry.Key[InboxRoot.Length..entry.Key.IndexOf('/', InboxRoot.Length)])).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True for a conversation id this ingress has carried: an unauthenticated <c>/api/messages</c> caller may not use it.</summary>
    public async Task<bool> OwnsAsync(string conversationId, CancellationToken cancellationToken)
    {
        var found = await storage.ReadAsync([ConversationKey(conversationId)], cancellationToken).ConfigureAwait(false);
        return found.Count > 0;
    }

    /// <summary>What <see cref="OwnsAsync"/> reads: the conversation's marker.</summary>
    public bool TryGetOwnershipKey(string conversationId, out string? key)
    {
        key = ConversationKey(conversationId);
        return true;
    }

    private static string SeenKey(string dedupeId) => $"{Root}seen/{Uri.EscapeDataString(dedupeId)}";

    private static string InboxPrefix(string conversationKey) => $"{InboxRoot}{Uri.EscapeDataString(conversationKey)}/";

    private static string ConversationKey(string conversationId) => $"{Root}conversations/{Uri.EscapeDataString(conversationId)}";
}
