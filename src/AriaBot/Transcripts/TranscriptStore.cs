using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using BotRuntime.Builder;
using IMiddleware = BotRuntime.Builder.IMiddleware;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
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
        var key = $"transcripts/{conversationKey}/{entry.At.UtcTicks.ToString("D20", CultureInfo.InvariantCulture)}-{order.ToString("D12", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
        await storage.WriteAsync(key, entry, eTag: null, timeProvider.GetUtcNow() + options.Value.Retention, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationKey, int limit = 500, CancellationToken cancellationToken = default)
    {
        var items = await storage.ReadPrefixAsync($"transcripts/{conversationKey}/", limit, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(item => item.Value.Document.Deserialize<TranscriptEntry>(StateJson.Options)!)];
    }
}

/// <summary>
/// Records each turn in the transcript store, redacted: the incoming message is written at the end of the turn so
/// that anything the turn marked secret (a sign-in code) is already known, and is dated when it arrived so the
/// transcript stays in order.
/// </summary>
public sealed class TranscriptMiddleware(ITranscriptStore store, TimeProvider timeProvider) : IMiddleware
{
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
            foreach (var sent in activities.Where(Recordable))
            {
                await store.AppendAsync(conversationKey, Entry(context, sent, RoleTypes.Bot, timeProvider.GetUtcNow()), cancellationToken: CancellationToken.None).ConfigureAwait(false);
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
                await store.AppendAsync(conversationKey, Entry(turnContext, turnContext.Activity, RoleTypes.User, arrived), slot, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static bool Recordable(Activity activity) =>
        activity.Type is ActivityTypes.Message or ActivityTypes.Event or ActivityTypes.EndOfConversation;

    private static TranscriptEntry Entry(ITurnContext turnContext, Activity activity, string role, DateTimeOffset at)
    {
        List<string> shown = [];
        foreach (var attachment in activity.Attachments ?? [])
        {
            var hero = attachment.ContentType == ContentTypes.HeroCard ? attachment.ContentAs<HeroCard>() : null;
            shown.Add(hero?.Title is { } title ? $"card: {TurnSecrets.Redact(turnContext, title)}" : $"attachment: {attachment.ContentType}");
        }
        foreach (var action in activity.SuggestedActions?.Actions ?? [])
        {
            shown.Add($"button: {action.Title}");
        }
        return new TranscriptEntry
        {
            At = at,
            Role = role,
            Type = activity.Type ?? ActivityTypes.Message,
            Text = activity.Text is null ? null : TurnSecrets.Redact(turnContext, activity.Text),
            Name = activity.Name,
            Shown = shown.Count > 0 ? shown : null,
        };
    }
}
