using BotRuntime.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>
/// This process start, as other processes on the same state store see it: a random id, and a record
/// <c>incarnations/{id}</c> kept alive by a heartbeat with an expiry of <see cref="BotOptions.InstanceLease"/>. A turn
/// claimed by an incarnation whose record has expired was cut off by a crash; a turn of a live incarnation (this one
/// or another instance's) is never treated as one.
/// </summary>
public sealed partial class ProcessIncarnation(IStorage storage, IOptionsMonitor<BotOptions> options, TimeProvider timeProvider, ILogger<ProcessIncarnation> logger)
    : BackgroundService
{
    internal const string KeyPrefix = "incarnations/";

    internal sealed class IncarnationRecord
    {
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset LeaseUntil { get; set; }
    }

    private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();

    /// <summary>Random per process start: a restarted process is a new incarnation even on the same machine.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="incarnation"/> may still be running: this process, or a record whose lease has not run out.</summary>
    public async Task<bool> IsAliveAsync(string incarnation, CancellationToken cancellationToken)
    {
        if (string.Equals(incarnation, Id, StringComparison.Ordinal))
        {
            return true;
        }
        // The store drops an expired record from reads: a missing one is a process that stopped renewing it.
        return await storage.ReadAsync<IncarnationRecord>(KeyPrefix + incarnation, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Writes (or renews) this incarnation's record.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var leaseUntil = now + options.CurrentValue.InstanceLease;
        await storage.WriteAsync(KeyPrefix + Id, new IncarnationRecord { StartedAt = _startedAt, LeaseUntil = leaseUntil }, StoreWrite.AnyETag, leaseUntil, cancellationToken)
            .ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A store outage must not stop the host; turns claimed meanwhile are covered by their own lease.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogRenewFailed(logger, exception);
            }
            // Three renewals per lease: one lost write does not make a live process look dead.
            await Task.Delay(options.CurrentValue.InstanceLease / 3, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this process's incarnation record failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
