using AriaBot.Language;
using BotRuntime.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// Nobody waits forever: a case still waiting after <see cref="HandoffOptions.WaitLimit"/> gets one notice (keep
/// waiting, leave a message for a call-back, or back to the assistant). The notice is claimed on the stored case
/// first (eTag-checked), so with several instances sweeping, the customer hears it once.
/// </summary>
public sealed partial class WaitingSweep(
    HandoffStore store,
    HandoffRelay relay,
    IWords words,
    IOptionsMonitor<HandoffOptions> options,
    TimeProvider timeProvider,
    ILogger<WaitingSweep> logger) : BackgroundService
{
    /// <summary>How often the queue is looked at; a notice comes at most this late.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    /// <summary>Tells every case waiting past the limit, once; returns how many were told.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            return 0;
        }
        var now = timeProvider.GetUtcNow();
        var limit = options.CurrentValue.WaitLimit;
        var told = 0;
        foreach (var waiting in await store.ListAsync(open: true, closed: false, limit: 2000, cancellationToken).ConfigureAwait(false))
        {
            if (waiting.State != HandoffState.Waiting || waiting.WaitNoticeSent || now - waiting.RequestedAt < limit)
            {
                continue;
            }
            var claimed = await store.UpdateAsync(waiting.Id, handoff =>
            {
                if (handoff.State != HandoffState.Waiting || handoff.WaitNoticeSent)
                {
                    return CaseChange.Keep;
                }
                handoff.WaitNoticeSent = true;
                return CaseChange.Write;
            }, cancellationToken).ConfigureAwait(false);
            if (claimed is not { Changed: true } mine)
            {
                continue;
            }
            var locale = mine.Case.Locale;
            await relay.SendAsync(mine.Case, MessageFactory.SuggestedActions(
                [
                    CardAction.ImBack(words.Format(HandoffWords.KeepWaitingButton, locale)),
                    CardAction.ImBack(words.Format(HandoffWords.LeaveMessageButton, locale)),
                    CardAction.ImBack(words.Format(HandoffWords.BackButton, locale)),
                ],
                words.Format(HandoffWords.NoAgentYet, locale)), "bot", cancellationToken).ConfigureAwait(false);
            told++;
        }
        return told;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handoff waiting sweep failed; it runs again shortly")]
    private partial void LogSweepFailed(Exception exception);
}
