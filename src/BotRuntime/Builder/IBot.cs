namespace BotRuntime.Builder;

/// <summary>The bot: what runs once per incoming activity, after the middleware.</summary>
public interface IBot
{
    Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}
