using BotRuntime.Connector;
using BotRuntime.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>
/// At start-up, and then once per <see cref="BotOptions.InstanceLease"/>, finds Bot Connector turns whose process died
/// mid-turn (its incarnation stopped renewing) and tells their conversations proactively, through the serviceUrl
/// trusted for that conversation only (<see cref="BotConnectorFactory.ForReferenceAsync"/>). The turn is not run again.
/// Direct Line turns are not swept here: their inbox entries are resumed at start-up and settled by the same rule.
/// </summary>
public sealed partial class InterruptedTurnSweep(
    IStorage storage,
    TurnProcessor processor,
    BotConnectorFactory connectors,
    IOptionsMonitor<BotOptions> options,
    TimeProvider timeProvider,
    ILogger<InterruptedTurnSweep> logger) : BackgroundService
{
    private const int Batch = 200;

    /// <summary>Settles what it can now; returns how many conversations were told.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var told = 0;
        foreach (var marker in await storage.ReadPrefixAsync(TurnProcessor.InFlightPrefix, Batch, cancellationToken).ConfigureAwait(false))
        {
            var key = marker.Key[TurnProcessor.InFlightPrefix.Length..];
            var record = await storage.ReadAsync<TurnProcessor.DeliveryRecord>(key, cancellationToken).ConfigureAwait(false);
            if (record is null || record.Value.Status != "running" || record.Value.Reference is not { } reference)
            {
                // Finished (its marker's delete was lost) or gone: nothing to tell.
                await storage.DeleteAsync(marker.Key, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var choice = await connectors.ForReferenceAsync(reference, cancellationToken).ConfigureAwait(false);
            if (choice.Connector is null)
            {
                // Never to an unproven serviceUrl; a redelivery of the activity still gets the notice.
                LogRefused(logger, choice.Refusal);
                await storage.DeleteAsync(marker.Key, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (await processor.SettleInterruptedAsync(key, reference, choice.Connector, cancellationToken).ConfigureAwait(false))
            {
                told++;
            }
        }
        return told;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A store or channel outage must not stop the host; the next sweep tries again.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, exception);
            }
            // Another instance that dies later is noticed one lease after its last heartbeat.
            await Task.Delay(options.CurrentValue.InstanceLease, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An interrupted turn's conversation cannot be told proactively: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping interrupted turns failed; trying again later")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
