using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Builder;

/// <summary>What the user hears and the log records when a turn throws.</summary>
public interface ITurnErrorHandler
{
    Task HandleAsync(ITurnContext turnContext, Exception exception);
}

/// <summary>
/// Logs the failure and apologises in plain words, never with the exception's text. A state conflict is
/// logged as such: another turn of the same conversation saved first and this turn's changes were dropped.
/// </summary>
public sealed partial class DefaultTurnErrorHandler(ILogger<DefaultTurnErrorHandler> logger) : ITurnErrorHandler
{
    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (exception is StorageConflictException)
        {
            LogConflict(logger, exception);
        }
        else if (exception is LeaseLostException)
        {
            LogLeaseLost(logger, exception);
        }
        else
        {
            LogFailure(logger, exception);
        }
        await turnContext.SendActivityAsync(ApologyText(turnContext)).ConfigureAwait(false);
    }

    /// <summary>The sentence sent to the user; hosts with their own words override this by registering their own handler.</summary>
    private static string ApologyText(ITurnContext turnContext) =>
        turnContext.Activity.Locale?.StartsWith("es", StringComparison.OrdinalIgnoreCase) == true
            ? "Lo siento, algo ha fallado por mi parte. ¿Puedes intentarlo de nuevo?"
            : "Sorry, something went wrong on my side. Could you try that again?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The turn's state was not saved: its conversation lease ran out and another turn holds the conversation now")]
    private static partial void LogLeaseLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The turn's state was not saved: another turn of this conversation saved first")]
    private static partial void LogConflict(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The turn failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
