using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BotRuntime.Builder;
using IMiddleware = BotRuntime.Builder.IMiddleware;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Transcripts;

/// <summary>How long stored transcripts are kept (configuration section <c>Transcripts</c>).</summary>
public sealed class TranscriptOptions
{
    public const string SectionName = "Transcripts";

    /// <summary>Default 30 days; the agent's view and disputes rarely need older conversations.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>One line of a stored transcript, already redacted: what a person may read later.</summary>
public sealed record TranscriptEntry
{
    public required DateTimeOffset At { get; init; }
    /// <summary><c>user</c> or <c>bot</c>.</summary>
    public required string Role { get; init; }
    public required string Type { get; init; }
    public string? Text { get; init; }
    public string? Name { get; init; }
    /// <summary>What was shown besides text (card titles, button titles), for the reader's context.</summary>
    public IReadOnlyList<string>? Shown { get; init; }
}

/// <summary>The redacted record of each conversation, for the agent's view and for disputes.</summary>
public interface ITranscriptStore
{
    /// <summary>A place in the order of entries, taken when something happens but written later (see <see cref="TranscriptMiddleware"/>).</summary>
    long ReserveSlot();

    Task AppendAsync(string conversationKey, TranscriptEntry entry, long? slot = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationKey, int limit = 500, CancellationToken cancellationToken = default);
}

public sealed class StorageTranscriptStore(IStorage storage, IOptions<TranscriptOptions> options, TimeProvider timeProvider) : ITranscriptStore
{
    private long _sequence;

    public long ReserveSlot() => Interlocked.Increment(ref _sequence);

    public async Task AppendAsync(string conversationKey, TranscriptEntry entry, long? slot = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Time first so a prefix read returns the conversation in order; the slot breaks ties within a tick.
        var order = slot ?? ReserveSlot();
        var key = string.Create(CultureInfo.InvariantCulture, $"transcripts/{conversationKey}/{entry.At.UtcTicks:D20}-{order:D12}-{Guid.NewGuid():N}");
        var expires = timeProvider.GetUtcNow() + options.Value.Retention;
        // Serialised once, to UTF-8, which the memory store keeps as it is; created only (a taken key is a conflict).
        var line = StoreWrite.Of(new TranscriptLine(entry), StateJson.Options, null, expires);
        // Inside a turn the line commits with the turn's state in one storage write (issue 22); outside one, now.
        if (TurnWrites.Current?.TryDefer(key, line) == true)
        {
            return;
        }
        await storage.WriteAsync(new Dictionary<string, StoreWrite>(1) { [key] = line }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationKey, int limit = 500, CancellationToken cancellationToken = default)
    {
        var prefix = $"transcripts/{conversationKey}/";
        IEnumerable<KeyValuePair<string, StoreItem>> items = await storage.ReadPrefixAsync(prefix, limit, cancellationToken).ConfigureAwait(false);
        // Lines this turn wrote are not stored until it ends: a reader in the same turn (a handoff) still sees them.
        if (TurnWrites.Current?.Deferred(prefix) is { Count: > 0 } deferred)
        {
            items = items.Concat(deferred.Select(line => KeyValuePair.Create(line.Key, new StoreItem(line.Value.Document, ""))))
                .OrderBy(item => item.Key, StringComparer.Ordinal).Take(limit);
        }
        // One unreadable line (an older shape, a hand-edited row) costs that line, not the agent's whole view.
        List<TranscriptEntry> entries = [];
        foreach (var item in items)
        {
            try
            {
                if (item.Value.Document.Deserialize<TranscriptEntry>(StateJson.Options) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
            }
        }
        return entries;
    }
}

/// <summary>
/// Records each turn in the transcript store, redacted: the incoming message is written at the end of the turn so
/// that anything the turn marked secret (a sign-in code) is already known, and is dated when it arrived so the
/// transcript stays in order. Recording is best effort: the turn has already run (and answered) when the user's
/// line is written, and a failure here would otherwise surface through the state middleware around this one, which
/// then skips saving the turn's dialog state — so an odd activity or a storage hiccup loses a transcript line, never
/// the conversation.
/// </summary>
public sealed partial class TranscriptMiddleware(ITranscriptStore store, TimeProvider timeProvider, ILogger<TranscriptMiddleware>? logger = null) : IMiddleware
{
    // A power of two: a slot is the low bits of the text's identity hash.
    private const int CleanSlots = 64;

    private readonly string?[] _clean = new string?[CleanSlots];

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var arrived = timeProvider.GetUtcNow();
        var slot = store.ReserveSlot();
        var conversationKey = turnContext.Activity.ConversationKey;
        turnContext.OnSendActivities(async (context, activities, sendNext) =>
        {
            var responses = await sendNext().ConfigureAwait(false);
            foreach (var sent in activities)
            {
                if (Recordable(sent))
                {
                    await RecordAsync(() => store.AppendAsync(conversationKey, Entry(context, sent, RoleTypes.Bot, timeProvider.GetUtcNow()), cancellationToken: CancellationToken.None)).ConfigureAwait(false);
                }
            }
            return responses;
        });
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Recordable(turnContext.Activity))
            {
                await RecordAsync(() => store.AppendAsync(conversationKey, Entry(turnContext, turnContext.Activity, RoleTypes.User, arrived), slot, CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    private async Task RecordAsync(Func<Task> append)
    {
        try
        {
            await append().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (logger is not null)
            {
                LogNotRecorded(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transcript line could not be recorded ({ExceptionType}); the turn and its state are unaffected")]
    private static partial void LogNotRecorded(ILogger logger, string exceptionType);

    private static bool Recordable(Activity activity) =>
        activity.Type is ActivityTypes.Message or ActivityTypes.Event or ActivityTypes.EndOfConversation;

    private TranscriptEntry Entry(ITurnContext turnContext, Activity activity, string role, DateTimeOffset at)
    {
        var attachments = activity.Attachments;
        var actions = activity.SuggestedActions?.Actions;
        // Made only when something was shown: most lines are text alone.
        ShownItems? shown = null;
        var capacity = (attachments?.Count ?? 0) + (actions?.Count ?? 0);
        // Null entries never pass the ingress check, but a bot's own replies are not checked there.
        foreach (var attachment in attachments ?? [])
        {
            if (attachment is null)
            {
                continue;
            }
            var hero = attachment.ContentType == ContentTypes.HeroCard ? attachment.ContentAs<HeroCard>() : null;
            if (hero?.Title is { } title)
            {
                (shown ??= new ShownItems(capacity)).Add("card", Redact(turnContext, title, role));
            }
            else
            {
                (shown ??= new ShownItems(capacity)).Add("attachment", attachment.ContentType);
            }
        }
        foreach (var action in actions ?? [])
        {
            if (action is not null)
            {
                (shown ??= new ShownItems(capacity)).Add("button", action.Title);
            }
        }
        return new TranscriptEntry
        {
            At = at,
            Role = role,
            Type = activity.Type ?? ActivityTypes.Message,
            Text = activity.Text is null ? null : Redact(turnContext, activity.Text, role),
            Name = activity.Name,
            Shown = shown,
        };
    }

    /// <summary>
    /// The text redacted as <see cref="TurnSecrets.Redact"/> does. The bot says the same few texts again and again (the
    /// menu's help names "password", so every help was scanned for a password cue; issue 22), and redacting a text with
    /// no turn secrets depends on the text alone: a bot text found clean is remembered by reference, in a small table
    /// that a newer clean text may take the slot of, and is not scanned again while it is there. Nothing is remembered
    /// from the customer's lines or from a turn that marked secrets, and a text that needed redacting never is.
    /// </summary>
    private string Redact(ITurnContext turnContext, string text, string role)
    {
        if (role != RoleTypes.Bot || TurnSecrets.Of(turnContext).Count > 0)
        {
            return TurnSecrets.Redact(turnContext, text);
        }
        ref var slot = ref _clean[RuntimeHelpers.GetHashCode(text) & (CleanSlots - 1)];
        if (ReferenceEquals(Volatile.Read(ref slot), text))
        {
            return text;
        }
        var redacted = TurnSecrets.Redact(turnContext, text);
        if (ReferenceEquals(redacted, text))
        {
            Volatile.Write(ref slot, text);
        }
        return redacted;
    }
}
