using Microsoft.Extensions.Hosting;

namespace BotRuntime.Hosting;

/// <summary>
/// At most one background drain per conversation, for the ingresses that queue a conversation's turns durably and run
/// them later (our Direct Line, Slack's Events API). A drain asked for while one runs is remembered and run again when
/// it ends, so nothing queued meanwhile waits for the next post. A failing drain (the store not answering) is tried
/// again after 1, 2, … 5 s, then left for the next schedule: the entries stay queued, never lost. A stopping host
/// waits for the drains in flight, which see <see cref="IHostApplicationLifetime.ApplicationStopping"/>.
/// </summary>
public sealed class ConversationPumps(IHostApplicationLifetime lifetime, TimeProvider timeProvider, Action<Exception> drainFailed)
{
    private const int MaxFailures = 5;
    private static readonly TimeSpan LongestResumeWait = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Pump> _pumps = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Pump
    {
        public bool Again { get; set; }
        public Task Running { get; set; } = Task.CompletedTask;
    }

    /// <summary>Makes sure <paramref name="drainAsync"/> runs for the conversation (now, or again after the running one).</summary>
    public void Schedule(string conversationKey, Func<string, Task> drainAsync)
    {
        ArgumentNullException.ThrowIfNull(drainAsync);
        Pump pump;
        lock (_gate)
        {
            if (_pumps.TryGetValue(conversationKey, out var running))
            {
                running.Again = true;
                return;
            }
            pump = new Pump();
            _pumps[conversationKey] = pump;
        }
        pump.Running = Task.Run(() => PumpAsync(conversationKey, pump, drainAsync));
    }

    /// <summary>
    /// Schedules every conversation <paramref name="waitingAsync"/> names (those a previous process left queued). The
    /// store may not answer yet when the host starts (a database still coming up): then it is asked again, after 1 s
    /// and twice as long each time up to a minute, instead of stopping the host.
    /// </summary>
    public async Task ResumeAsync(
        Func<CancellationToken, Task<IReadOnlyList<string>>> waitingAsync,
        Func<string, Task> drainAsync,
        Action<TimeSpan, Exception> readFailed,
        CancellationToken stoppingToken,
        Action<string>? resuming = null)
    {
        ArgumentNullException.ThrowIfNull(waitingAsync);
        ArgumentNullException.ThrowIfNull(readFailed);
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            IReadOnlyList<string> waiting;
            try
            {
                waiting = await waitingAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any store failure is retried; the host must keep serving meanwhile.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                readFailed(wait, exception);
                await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestResumeWait.Ticks));
                continue;
            }
            foreach (var conversationKey in waiting)
            {
                resuming?.Invoke(conversationKey);
                Schedule(conversationKey, drainAsync);
            }
            return;
        }
    }

    /// <summary>Waits for the drains in flight (turns finish, or see the host stopping, before the store goes away under them).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _pumps.Values.Select(pump => pump.Running)];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PumpAsync(string conversationKey, Pump pump, Func<string, Task> drainAsync)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await drainAsync(conversationKey).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failing store must not kill the pump silently: the entries stay queued and are retried.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                drainFailed(exception);
                if (++failures <= MaxFailures && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    try
                    {
                        // A stopping host does not sit out the back-off: the entries stay queued for the next process.
                        await Task.Delay(TimeSpan.FromSeconds(failures), timeProvider, lifetime.ApplicationStopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    continue;
                }
            }
            lock (_gate)
            {
                if (pump.Again && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    pump.Again = false;
                    continue;
                }
                _pumps.Remove(conversationKey);
                return;
            }
        }
    }
}
