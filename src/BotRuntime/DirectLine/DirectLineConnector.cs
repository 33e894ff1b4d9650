using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.DirectLine;

/// <summary>
/// Carries a Direct Line turn's replies: each is given the next id of the conversation, stored in its activity
/// log (which GET and the stream read) and pushed to the open stream. <c>typing</c> goes to the stream only,
/// and <c>conversationUpdate</c> never reaches clients (Direct Line 3.0 behaviour).
/// </summary>
public sealed class DirectLineConnector(string conversationId, DirectLineStore store, DirectLineStreams streams, ChannelAccount bot, TimeProvider timeProvider) : IChannelConnector
{
    // The conversation record as this turn's last reply wrote it (a connector serves one turn, its replies in order).
    private Stored<DirectLineConversationRecord>? _record;

    public async Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var outgoing = Stamp(activity.Clone());
        if (outgoing.IsType(ActivityTypes.ConversationUpdate))
        {
            return new ResourceResponse();
        }
        if (outgoing.IsType(ActivityTypes.Typing))
        {
            // Typing is momentary: not worth a sequence number, never replayed to a client that reconnects later.
            outgoing.Id = $"{conversationId}|typing-{Guid.NewGuid():N}";
            streams.Push(conversationId, outgoing);
            return new ResourceResponse(outgoing.Id);
        }
        var (id, seq, record) = await store.AppendAsync(conversationId, outgoing, _record, cancellationToken).ConfigureAwait(false);
        _record = record;
        streams.Notify(conversationId, outgoing, seq);
        return new ResourceResponse(id);
    }

    public async Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var seq = DirectLineStore.SeqOf(conversationId, activity.Id) ?? throw new ArgumentException($"'{activity.Id}' is not an activity of this conversation.", nameof(activity));
        var updated = Stamp(activity.Clone());
        if (!await store.ReplaceAsync(conversationId, seq, updated, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Activity '{activity.Id}' is no longer in the conversation's log.");
        }
        // A client past this watermark will not read it again: the stream carries the new version (same id).
        streams.Push(conversationId, updated);
        return new ResourceResponse(activity.Id);
    }

    public async Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var seq = DirectLineStore.SeqOf(conversationId, reference.ActivityId);
        if (seq is null)
        {
            return;
        }
        var tombstone = Stamp(new Activity { Type = ActivityTypes.MessageDelete, Id = reference.ActivityId });
        if (await store.ReplaceAsync(conversationId, seq.Value, tombstone, cancellationToken).ConfigureAwait(false))
        {
            streams.Push(conversationId, tombstone);
        }
    }

    private Activity Stamp(Activity activity)
    {
        activity.ChannelId = Channels.DirectLine;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.From ??= new ChannelAccount { Id = bot.Id, Name = bot.Name };
        activity.From.Role = RoleTypes.Bot;
        activity.Timestamp = timeProvider.GetUtcNow();
        // serviceUrl and deliveryMode mean something only on the way to the bot.
        activity.ServiceUrl = null;
        activity.DeliveryMode = null;
        return activity;
    }
}
