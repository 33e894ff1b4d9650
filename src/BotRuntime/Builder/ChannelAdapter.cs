using System.Security.Claims;
using System.Text.Json;
using BotRuntime.Connector;
using BotRuntime.Schema;

namespace BotRuntime.Builder;

/// <summary>
/// The adapter every ingress uses: it runs the turn through the middleware to the bot and sends replies
/// through the <see cref="IChannelConnector"/> the ingress chose for this turn.
/// </summary>
public sealed class ChannelAdapter : BotAdapter
{
    public const string ConnectorKey = "BotRuntime.ChannelConnector";
    public const string IdentityKey = "BotRuntime.Identity";

    private readonly TimeProvider _timeProvider;

    public ChannelAdapter(IEnumerable<IMiddleware> middleware, ITurnErrorHandler errorHandler, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ArgumentNullException.ThrowIfNull(errorHandler);
        foreach (var item in middleware)
        {
            Use(item);
        }
        OnTurnError = errorHandler.HandleAsync;
        _timeProvider = timeProvider;
    }

    public async Task ProcessActivityAsync(Activity activity, IChannelConnector connector, ClaimsIdentity? identity, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(connector);
        var turnContext = new TurnContext(this, activity);
        turnContext.TurnState.Set(ConnectorKey, connector);
        if (identity is not null)
        {
            turnContext.TurnState.Set(IdentityKey, identity);
        }
        await RunPipelineAsync(turnContext, callback, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a proactive turn in an existing conversation (handoff relays, reminders).</summary>
    public Task ContinueConversationAsync(ConversationReference reference, IChannelConnector connector, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var activity = new Activity { Type = ActivityTypes.Event, Name = "ContinueConversation" }.ApplyConversationReference(reference, isIncoming: true);
        return ProcessActivityAsync(activity, connector, null, callback, cancellationToken);
    }

    public override async Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(activities);
        var connector = ConnectorOf(turnContext);
        var responses = new ResourceResponse[activities.Length];
        for (var i = 0; i < activities.Length; i++)
        {
            var activity = activities[i];
            switch (activity.Type)
            {
                case ActivityTypes.Delay:
                    // An SDK-internal pause: meaningful only when replies stream out; an expectReplies body has no time axis.
                    if (connector is not ExpectRepliesConnector)
                    {
                        var delay = activity.Value is { ValueKind: JsonValueKind.Number } ms ? ms.GetInt32() : 1000;
                        await Task.Delay(TimeSpan.FromMilliseconds(delay), _timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    responses[i] = new ResourceResponse();
                    break;
                case ActivityTypes.InvokeResponse:
                    turnContext.TurnState.Set(ActivityHandler.InvokeResponseKey, activity.GetValue<InvokeResponse>() ?? new InvokeResponse { Status = 200 });
                    responses[i] = new ResourceResponse();
                    break;
                case ActivityTypes.Trace when turnContext.Activity.ChannelId != Channels.Emulator:
                    // Traces are debugging aids for the Emulator only, as in the SDK.
                    responses[i] = new ResourceResponse();
                    break;
                default:
                    responses[i] = await connector.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        return responses;
    }

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken) =>
        ConnectorOf(turnContext).UpdateActivityAsync(activity, cancellationToken);

    public override Task DeleteActivityAsync(ITurnContext turnContext, ConversationReference reference, CancellationToken cancellationToken) =>
        ConnectorOf(turnContext).DeleteActivityAsync(reference, cancellationToken);

    private static IChannelConnector ConnectorOf(ITurnContext turnContext) =>
        turnContext.TurnState.Get<IChannelConnector>(ConnectorKey)
        ?? throw new InvalidOperationException("This turn has no channel connector; start turns through ChannelAdapter.ProcessActivityAsync.");
}
