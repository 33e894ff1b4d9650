using System.Text.Json;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotRuntime.DirectLine;

/// <summary>The activities of a conversation: GET (a page of the log from a watermark) and POST (stored, echoed, queued for its turn).</summary>
public sealed partial class DirectLineEndpoints
{
    public async Task<IResult> GetActivitiesAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The record (which authorises the poll) and the first log entries after the watermark come in one read (issue 22):
        // a poll that finds a turn's replies is one round trip, not two. Nothing of the log is answered unless authorised.
        var from = ParseWatermark(context);
        LogReadAhead? log = null;
        var (_, entry, failure) = await OpenConversationEntryAsync(context, conversationId, limits.Reads, async cancellationToken =>
        {
            var (record, ahead) = await store.ReadConversationWithLogAsync(conversationId, from, cancellationToken).ConfigureAwait(false);
            log = ahead;
            return record;
        }).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var (activities, watermark) = await store.ReadSinceAsync(conversationId, entry!.Value, log, from, long.MaxValue, context.RequestAborted).ConfigureAwait(false);
        return Json(new ActivitySet { Activities = activities, Watermark = DirectLineStreams.Format(watermark) }, 200);
    }

    public async Task<IResult> PostActivityAsync(HttpContext context, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, entry, failure) = await OpenConversationEntryAsync(context, conversationId, limits.Posts).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var record = entry!.Value;
        var (incoming, bodyError) = await ReadActivityAsync(context).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }
        if (string.IsNullOrWhiteSpace(incoming!.Type))
        {
            return Error(400, DirectLineErrors.MissingProperty, "The activity has no type.");
        }
        var started = await EnsureStartedAsync(context, record, null).ConfigureAwait(false);

        var settings = options.CurrentValue;
        var baseUrl = BaseUrl(context);
        var bot = Bot(settings);
        // from.id is never the client's to choose: a token's user is the token's, whatever the activity says.
        var userId = caller!.Token?.UserId ?? (incoming.From?.Id is { Length: > 0 } claimed ? claimed : record.UserId);
        var userName = incoming.From?.Name ?? caller.Token?.UserName ?? record.UserName;
        // Freshly read from this request's body and used only here: addressed in place, no copy needed (issue 22).
        var activity = incoming;
        activity.ChannelId = Channels.DirectLine;
        activity.ServiceUrl = baseUrl;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.From = new ChannelAccount { Id = userId, Name = userName, Role = RoleTypes.User };
        activity.Recipient = bot;
        activity.Timestamp = timeProvider.GetUtcNow();
        activity.CallerId = null;
        // Replies go to the log, never into this response.
        activity.DeliveryMode = null;
        activity.Locale ??= record.Locale;
        var clientActivityId = incoming.ChannelData is { ValueKind: JsonValueKind.Object } channelData
            && channelData.TryGetProperty("clientActivityID", out var clientId) && clientId.ValueKind == JsonValueKind.String ? clientId.GetString() : null;

        // What the customer typed is redacted before any copy is written: the log (GET, stream replays), the inbox and
        // this process's stream all get the redacted activity. The turn alone gets it as typed, from memory, so the
        // bot can still read a code it waits for and tell the customer what it removed; nothing durable holds it.
        var redacted = await redactor.RedactAsync(activity, IncomingRedactionReason.Incoming, context.RequestAborted).ConfigureAwait(false);
        var heldId = redacted is null ? null : queue.Hold(activity);
        var stored = redacted ?? activity;
        var inbox = new DirectLineInboxItem { UserId = userId, BindingId = caller.Token?.BindingId ?? record.BindingId, ViaSecret = caller.ViaSecret, HeldId = heldId };
        PostedActivity posted;
        try
        {
            posted = await PostAsync(stored, inbox).ConfigureAwait(false);
        }
        catch
        {
            queue.Release(heldId);
            throw;
        }
        if (posted.IsRetry)
        {
            queue.Release(heldId);
            LogRetry(logger);
            return Json(new ResourceResponse(posted.Id), 200);
        }
        streams.Notify(conversationId, stored, posted.Seq);
        // The echo is stored and the turn will run whatever happens now; waiting only lets a client that
        // polls right after the answer find the bot's replies already there.
        await queue.ScheduleAndWaitAsync(conversationId, posted.Seq, settings.PostWaitTimeout, context.RequestAborted).ConfigureAwait(false);
        return Json(new ResourceResponse(posted.Id), 200);

        Task<PostedActivity> PostAsync(Activity logged, DirectLineInboxItem queued) => store.PostAsync(conversationId, logged, clientActivityId, queued,
            current => new DirectLineInboxItem
            {
                Activity = ConversationUpdate(current, baseUrl, bot, new ChannelAccount { Id = userId, Name = userName }),
                UserId = userId,
                BindingId = inbox.BindingId,
                ViaSecret = caller.ViaSecret,
            },
            context.RequestAborted, started ? null : entry);
    }

    private async Task<bool> EnsureStartedAsync(HttpContext context, DirectLineConversationRecord record, string? locale)
    {
        if (record.Started)
        {
            return false;
        }
        var baseUrl = BaseUrl(context);
        var bot = Bot(options.CurrentValue);
        var lastEvent = await store.StartAsync(record.Id, locale, current =>
        {
            var user = new ChannelAccount { Id = current.UserId, Name = current.UserName };
            List<DirectLineInboxItem> events = [Event(current, ConversationUpdate(current, baseUrl, bot, bot))];
            if (current.UserAdded)
            {
                events.Add(Event(current, ConversationUpdate(current, baseUrl, bot, user)));
            }
            return events;
        }, context.RequestAborted).ConfigureAwait(false);
        if (lastEvent is not { } seq)
        {
            return false;
        }
        // Wait (bounded) for the bot to hear it: a greeting is then in the log before the client's first post.
        await queue.ScheduleAndWaitAsync(record.Id, seq, options.CurrentValue.PostWaitTimeout, context.RequestAborted).ConfigureAwait(false);
        return true;

        static DirectLineInboxItem Event(DirectLineConversationRecord current, Activity activity) =>
            new() { Activity = activity, UserId = current.UserId, BindingId = current.BindingId };
    }

    private Activity ConversationUpdate(DirectLineConversationRecord record, string baseUrl, ChannelAccount bot, ChannelAccount added) => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        ChannelId = Channels.DirectLine,
        ServiceUrl = baseUrl,
        Conversation = new ConversationAccount { Id = record.Id },
        From = new ChannelAccount { Id = record.UserId, Name = record.UserName, Role = RoleTypes.User },
        Recipient = bot,
        MembersAdded = [new ChannelAccount { Id = added.Id, Name = added.Name }],
        Timestamp = timeProvider.GetUtcNow(),
        Locale = record.Locale,
    };

    private static ChannelAccount Bot(DirectLineOptions settings) => new() { Id = settings.BotId, Name = settings.BotName, Role = RoleTypes.Bot };

    [LoggerMessage(Level = LogLevel.Information, Message = "A client retried a post (same clientActivityID); answered with the first post's id, no second turn")]
    private static partial void LogRetry(ILogger logger);
}
