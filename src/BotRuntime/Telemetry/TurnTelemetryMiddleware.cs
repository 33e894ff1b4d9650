using System.Diagnostics;
using BotRuntime.Builder;

namespace BotRuntime.Telemetry;

/// <summary>
/// A span and the turn metrics around the whole middleware pipeline (registered first, so the state save is inside).
/// </summary>
public sealed class TurnTelemetryMiddleware(TimeProvider timeProvider) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var channel = turnContext.Activity.ChannelId ?? "unknown";
        var type = turnContext.Activity.Type ?? "unknown";
        using var activity = BotTelemetry.Source.StartActivity("bot.turn", ActivityKind.Server);
        activity?.SetTag("ariabot.channel", channel);
        activity?.SetTag("ariabot.activity.type", type);
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
            outcome = "ok";
        }
        catch (Exception exception)
        {
            // The exception's type only: its message can quote state or what the customer typed.
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("ariabot.turn.outcome", outcome);
            var tags = new TagList { { "ariabot.channel", channel }, { "ariabot.activity.type", type }, { "ariabot.turn.outcome", outcome } };
            BotTelemetry.Turns.Add(1, tags);
            BotTelemetry.TurnDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
