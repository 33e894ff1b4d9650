namespace BotRuntime.Builder;

/// <summary>
/// A bot that can tell a customer what became of a turn its process died in the middle of. The runtime never runs such
/// a turn again (it may have called a back end); instead, once the dead process is proven gone, it calls this with the
/// interrupted activity (or, with no redelivery to answer, a continuation of its conversation) so the bot can settle
/// what it knows and say where things stand. A bot without it gets a plain apology from the runtime.
/// </summary>
public interface IInterruptedTurnBot
{
    Task OnInterruptedTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
