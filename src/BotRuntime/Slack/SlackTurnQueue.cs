using System.Collections.Concurrent;
using System.Security.Claims;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Slack;

/// <summary>
/// Runs the acknowledged Slack events (<see cref="SlackInbox"/>) as turns in the background, one conversation's in
/// arrival order, through <see cref="TurnProcessor"/> (one turn at a time; its delivery records make sure an event
/// whose process died mid-turn is answered with the interrupted-turn notice, never run twice). An entry leaves the
/// inbox only after its turn; at start-up every conversation with entries is resumed.
/// </summary>
public sealed partial class SlackTurnQueue(
    SlackInbox inbox,
    TurnProcessor processor,
    SlackConnectorFactory connectors,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<SlackTurnQueue> logger) : BackgroundService
{
    private readonly ConversationPumps _pumps = new(lifetime, timeProvider, exception => LogPumpFailed(logger, exception));
    private readonly ConcurrentDictionary<string, Activity> _held = new(StringComparer.Ordinal);

    /// <summary>The identity every Slack Events API turn runs under: proven by the signing secret, nothing more.</summary>
    public static ClaimsIdentity Identity() => TurnIngresses.Stamp(new ClaimsIdentity("SlackSignature"), TurnIngress.SlackEvents);

    /// <summary>Keeps the activity as typed in memory until its turn (the inbox holds the redacted copy).</summary>
    public string Hold(Activity asTyped)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        _held[id] = asTyped;
        return id;
    }

    public void Release(string? heldId)
    {
        if (heldId is not null)
        {
            _held.TryRemove(heldId, out _);
        }
    }

    /// <summary>Makes sure the conversation's waiting events are being run.</summary>
    public void Schedule(string conversationKey) => _pumps.Schedule(conversationKey, DrainAsync);

    private async Task DrainAsync(string conversationKey)
    {
        var stopping = lifetime.ApplicationStopping;
        while (!stopping.IsCancellationRequested)
        {
            if (await inbox.NextAsync(conversationKey, stopping).ConfigureAwait(false) is not { } next)
            {
                return;
            }
            var (key, item) = next;
            var activity = item.Activity;
            if (item.HeldId is { } heldId && _held.TryGetValue(heldId, out var asTyped))
            {
                activity = asTyped;
            }
            var connector = connectors.Create(item.Channel, item.ThreadTs);
            var outcome = await processor.ProcessAsync(activity, connector, Identity(), stopping).ConfigureAwait(false);
            if (outcome.StatusCode == 503)
            {
                await Task.Delay(outcome.RetryAfter ?? TimeSpan.FromSeconds(1), timeProvider, stopping).ConfigureAwait(false);
                continue;
            }
            if (outcome.StatusCode >= 500)
            {
                // Never re-run: the failed turn may have done part of its work.
                LogTurnFailed(logger, outcome.StatusCode);
            }
            await inbox.CompleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            Release(item.HeldId);
        }
    }

    /// <summary>Resumes the events a previous process acknowledged but did not run (<see cref="ConversationPumps.ResumeAsync"/>).</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _pumps.ResumeAsync(inbox.ConversationsWithEntriesAsync, DrainAsync, (wait, exception) => LogResumeFailed(logger, wait, exception), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _pumps.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running acknowledged Slack events failed; they stay in the inbox")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Slack turn failed ({Status}); it is not run again")]
    private static partial void LogTurnFailed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the Slack inbox failed; trying again in {Wait}")]
    private static partial void LogResumeFailed(ILogger logger, TimeSpan wait, Exception exception);
}
