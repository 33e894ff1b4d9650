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
        // Tags only for a span someone records: a propagation-only span (sampled out) drops them anyway.
        var recorded = activity is { IsAllDataRequested: true };
        if (recorded)
        {
            activity!.SetTag("ariabot.channel", channel);
            activity.SetTag("ariabot.activity.type", type);
            if (BotTelemetry.LeaseWait is { } waited)
            {
                RecordLeaseWait(activity, waited);
            }
        }
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
            if (recorded)
            {
                activity!.SetTag("ariabot.turn.outcome", outcome);
            }
            if (BotTelemetry.Turns.Enabled || BotTelemetry.TurnDuration.Enabled)
            {
                var tags = new TagList { { "ariabot.channel", channel }, { "ariabot.activity.type", type }, { "ariabot.turn.outcome", outcome } };
                BotTelemetry.Turns.Add(1, tags);
                BotTelemetry.TurnDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <summary>
    /// The wait for the conversation (another turn of it running here or on another instance) happened before this
    /// middleware ran: the turn's span is moved back to cover it, tagged with its length, and given a child span for it,
    /// so a slow turn that was only queued is told apart from one that was slow itself.
    /// </summary>
    private static void RecordLeaseWait(Activity turn, TimeSpan waited)
    {
        var began = turn.StartTimeUtc;
        turn.SetStartTime(began - waited);
        turn.SetTag("lease.wait_ms", Math.Round(waited.TotalMilliseconds, 1));
        using var wait = BotTelemetry.Source.StartActivity("bot.turn.lease_wait", ActivityKind.Internal, turn.Context, startTime: began - waited);
        wait?.SetEndTime(began);
    }
}
