using BotRuntime.Schema;

namespace BotRuntime.Builder;

/// <summary>The turn context the adapter creates for each incoming activity.</summary>
public sealed class TurnContext : ITurnContext
{
    private readonly List<SendActivitiesHandler> _onSend = [];
    private readonly List<UpdateActivityHandler> _onUpdate = [];
    private readonly List<DeleteActivityHandler> _onDelete = [];
    private int _responded;

    public TurnContext(BotAdapter adapter, Activity activity)
    {
        Adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));
        Activity = activity ?? throw new ArgumentNullException(nameof(activity));
    }

    public BotAdapter Adapter { get; }

    public Activity Activity { get; }

    public TurnStateCollection TurnState { get; } = [];

    public bool Responded => Volatile.Read(ref _responded) == 1;

    public Task<ResourceResponse?> SendActivityAsync(string textReplyToSend, string? speak = null, string inputHint = InputHints.AcceptingInput, CancellationToken cancellationToken = default) =>
        SendActivityAsync(MessageFactory.Text(textReplyToSend, speak, inputHint), cancellationToken);

    public async Task<ResourceResponse?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        var responses = await SendActivitiesAsync([activity], cancellationToken).ConfigureAwait(false);
        return responses.FirstOrDefault();
    }

    public Task<ResourceResponse[]> SendActivitiesAsync(IReadOnlyList<Activity> activities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var reference = Activity.GetConversationReference();
        var outgoing = activities.Select(activity => Address(activity, reference)).ToList();
        return RunSendHandlersAsync(outgoing, 0, cancellationToken);
    }

    private async Task<ResourceResponse[]> RunSendHandlersAsync(List<Activity> activities, int index, CancellationToken cancellationToken)
    {
        if (index < _onSend.Count)
        {
            return await _onSend[index](this, activities, () => RunSendHandlersAsync(activities, index + 1, cancellationToken)).ConfigureAwait(false);
        }
        if (activities.Count == 0)
        {
            return [];
        }
        var responses = await Adapter.SendActivitiesAsync(this, [.. activities], cancellationToken).ConfigureAwait(false);
        if (activities.Exists(activity => !activity.IsType(ActivityTypes.Trace)))
        {
            Volatile.Write(ref _responded, 1);
        }
        return responses;
    }

    public Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var addressed = Address(activity, Activity.GetConversationReference());
        return RunUpdateHandlersAsync(addressed, 0, cancellationToken);
    }

    private Task<ResourceResponse> RunUpdateHandlersAsync(Activity activity, int index, CancellationToken cancellationToken) =>
        index < _onUpdate.Count
            ? _onUpdate[index](this, activity, () => RunUpdateHandlersAsync(activity, index + 1, cancellationToken))
            : Adapter.UpdateActivityAsync(this, activity, cancellationToken);

    public Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default)
    {
        var reference = Activity.GetConversationReference();
        reference.ActivityId = activityId;
        return RunDeleteHandlersAsync(reference, 0, cancellationToken);
    }

    private Task RunDeleteHandlersAsync(ConversationReference reference, int index, CancellationToken cancellationToken) =>
        index < _onDelete.Count
            ? _onDelete[index](this, reference, () => RunDeleteHandlersAsync(reference, index + 1, cancellationToken))
            : Adapter.DeleteActivityAsync(this, reference, cancellationToken);

    public ITurnContext OnSendActivities(SendActivitiesHandler handler)
    {
        _onSend.Add(handler ?? throw new ArgumentNullException(nameof(handler)));
        return this;
    }

    public ITurnContext OnUpdateActivity(UpdateActivityHandler handler)
    {
        _onUpdate.Add(handler ?? throw new ArgumentNullException(nameof(handler)));
        return this;
    }

    public ITurnContext OnDeleteActivity(DeleteActivityHandler handler)
    {
        _onDelete.Add(handler ?? throw new ArgumentNullException(nameof(handler)));
        return this;
    }

    /// <summary>Fills what the bot left out the way the SDK does: the conversation, both sides, the locale, the reply target.</summary>
    private Activity Address(Activity activity, ConversationReference reference)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.ChannelId ??= reference.ChannelId;
        activity.ServiceUrl ??= reference.ServiceUrl;
        activity.Conversation ??= reference.Conversation;
        activity.From ??= reference.Bot;
        activity.Recipient ??= reference.User;
        activity.Locale ??= reference.Locale;
        if (activity.ReplyToId is null && !activity.IsType(ActivityTypes.Trace))
        {
            activity.ReplyToId = reference.ActivityId;
        }
        activity.Type ??= ActivityTypes.Message;
        if (activity.IsType(ActivityTypes.Message) && activity.InputHint is null)
        {
            activity.InputHint = InputHints.AcceptingInput;
        }
        return activity;
    }
}
