using BotRuntime.Schema;

namespace BotRuntime.Builder;

/// <summary>
/// Connects a bot to a channel: runs each incoming activity through the middleware to the bot and carries
/// the bot's replies out. Concrete adapters decide where replies go.
/// </summary>
public abstract class BotAdapter
{
    protected BotAdapter() { }

    public MiddlewareSet MiddlewareSet { get; } = new();

    /// <summary>Called when the bot or a middleware throws; the default rethrows.</summary>
    public Func<ITurnContext, Exception, Task>? OnTurnError { get; set; }

    public BotAdapter Use(IMiddleware middleware)
    {
        MiddlewareSet.Use(middleware);
        return this;
    }

    public abstract Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken);

    public abstract Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken);

    public abstract Task DeleteActivityAsync(ITurnContext turnContext, ConversationReference reference, CancellationToken cancellationToken);

    protected async Task RunPipelineAsync(ITurnContext turnContext, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        try
        {
            await MiddlewareSet.ReceiveActivityWithStatusAsync(turnContext, callback, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (OnTurnError is not null)
        {
            await OnTurnError(turnContext, exception).ConfigureAwait(false);
        }
    }
}
