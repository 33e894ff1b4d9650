using System.Collections.Concurrent;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.DirectLine;

/// <summary>
/// Runs each conversation's queued activities (the durable inbox in <see cref="DirectLineStore"/>) as turns, one
/// at a time and in sequence order, through <see cref="TurnProcessor"/> with a <see cref="DirectLineConnector"/>.
/// An inbox entry is removed only after its turn ran, and the processor's delivery records make sure a turn
/// cut off by a crash is never run a second time; at start-up every conversation with queued entries is resumed.
/// </summary>
public sealed partial class DirectLineTurnQueue(
    DirectLineStore store,
    DirectLineStreams streams,
    TurnProcessor processor,
    DirectLineRedactionMigration migration,
    IOptionsMonitor<DirectLineOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<DirectLineTurnQueue> logger,
    ProcessIncarnation incarnation,
    ConversationLocks locks,
    IOptionsMonitor<BotOptions> botOptions) : BackgroundService
{
    private readonly ConversationPumps _pumps = new(lifetime, timeProvider, exception => LogPumpFailed(logger, exception));
    private readonly ConcurrentDictionary<(string Conversation, long Seq), TaskCompletionSource> _waiters = new();

    // Activities as typed whose stored copies were redacted, until their turn has run; never written anywhere.
    private readonly ConcurrentDictionary<string, Activity> _held = new(StringComparer.Ordinal);

    /// <summary>Makes sure the conversation's queued turns are being run.</summary>
    public void Schedule(string conversationId) => _pumps.Schedule(conversationId, DrainAsync);

    /// <summary>Keeps <paramref name="asTyped"/> in memory for its turn; the returned id goes into the (redacted) inbox entry.</summary>
    public string Hold(Activity asTyped)
    {
        ArgumentNullException.ThrowIfNull(asTyped);
        // Prefixed with this process's incarnation: another instance draining the same inbox (PostgreSQL) then knows
        // whose memory holds the text as typed, and leaves the turn to that instance while it lives.
        var id = incarnation.Id + HeldSeparator + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        _held[id] = asTyped;
        return id;
    }

    private const char HeldSeparator = ':';

    /// <summary>
    /// True when the entry's text as typed is held by another instance that is still alive and the entry is still
    /// queued after waiting (at most <see cref="BotOptions.TurnQueueTimeout"/>) for that instance to run it: only then
    /// does this instance run it on the redacted copy. False when the owner ran it meanwhile (skip it here).
    /// </summary>
    private async Task<bool> LeftToUsAsync(string conversationId, long seq, string heldId, CancellationToken stopping)
    {
        var separator = heldId.IndexOf(HeldSeparator, StringComparison.Ordinal);
        if (!locks.SharesLeases || separator <= 0)
        {
            // One process owns a SQLite or memory store: the holder was this process before a restart. Or the id was
            // made before ids named their process.
            return true;
        }
        var owner = heldId[..separator];
        var deadline = timeProvider.GetUtcNow() + botOptions.CurrentValue.TurnQueueTimeout;
        while (await incarnation.IsAliveAsync(owner, stopping).ConfigureAwait(false) && timeProvider.GetUtcNow() < deadline)
        {
            if (!await store.IsQueuedAsync(conversationId, seq, stopping).ConfigureAwait(false))
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, stopping).ConfigureAwait(false);
        }
        return await store.IsQueuedAsync(conversationId, seq, stopping).ConfigureAwait(false);
    }

    /// <summary>Forgets a held activity whose post was not stored (a retry, a failure).</summary>
    public void Release(string? heldId)
    {
        if (heldId is not null)
        {
            _held.TryRemove(heldId, out _);
        }
    }

    /// <summary>How many activities as typed this process holds (tests: none is left behind).</summary>
    public int HeldCount => _held.Count;

    /// <summary>
    /// Makes sure the conversation's queued turns run (<see cref="Schedule"/>) and waits until the queued activity
    /// <paramref name="seq"/> has had its turn, or <paramref name="timeout"/>; true when it has.
    /// </summary>
    /// <remarks>
    /// No read of the inbox: the waiter is registered before the drain is scheduled, and a drain always looks at the
    /// inbox after it was scheduled (<see cref="ConversationPumps"/>). That look either runs the entry (and signals) or
    /// finds it gone — run by a drain already under way, or by another instance — and signals every waiter registered
    /// before it looked whose entry is no longer queued (<see cref="ReleaseGone"/>).
    /// </remarks>
    public async Task<bool> ScheduleAndWaitAsync(string conversationId, long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            Schedule(conversationId);
            return false;
        }
        var waiter = _waiters.GetOrAdd((conversationId, seq), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            Schedule(conversationId);
            await waiter.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiters.TryRemove((conversationId, seq), out _);
        }
    }

    /// <summary>The conversation's waiters registered now (so before the inbox read that follows).</summary>
    private List<(long Seq, TaskCompletionSource Waiter)>? WaitersOf(string conversationId)
    {
        if (_waiters.IsEmpty)
        {
            return null;
        }
        List<(long, TaskCompletionSource)>? found = null;
        foreach (var (key, waiter) in _waiters)
        {
            if (key.Conversation == conversationId)
            {
                (found ??= []).Add((key.Seq, waiter));
            }
        }
        return found;
    }

    /// <summary>
    /// Signals the <paramref name="waiters"/> whose entries an inbox read found gone (below its oldest entry
    /// <paramref name="oldest"/>, or all when the inbox was empty). Only waiters registered before the read: their
    /// entries were stored before it started, so "not there" means "already run".
    /// </summary>
    private static void ReleaseGone(List<(long Seq, TaskCompletionSource Waiter)>? waiters, long? oldest)
    {
        foreach (var (seq, waiter) in waiters ?? [])
        {
            if (oldest is null || seq < oldest)
            {
                waiter.TrySetResult();
            }
        }
    }

    private async Task DrainAsync(string conversationId)
    {
        var stopping = lifetime.ApplicationStopping;
        while (!stopping.IsCancellationRequested)
        {
            var waiting = WaitersOf(conversationId);
            var (next, more) = await store.PeekInboxAsync(conversationId, stopping).ConfigureAwait(false);
            ReleaseGone(waiting, next?.Seq);
            if (next is not { } queued)
            {
                return;
            }
            var item = queued.Item;
            if (item.HeldId is { } heldId)
            {
                if (_held.TryGetValue(heldId, out var asTyped))
                {
                    asTyped.Id = item.Activity.Id;
                    item.Activity = asTyped;
                }
                else if (!await LeftToUsAsync(conversationId, queued.Seq, heldId, stopping).ConfigureAwait(false))
                {
                    // The instance that holds it as typed ran it; the entries behind it are ours to run.
                    continue;
                }
                else
                {
                    // Posted before a restart or by an instance that died: the text as typed is gone by design, and the
                    // turn runs on the redacted copy (a code the bot waited for must be typed again).
                    LogRunningRedacted(logger);
                }
            }
            var bot = item.Activity.Recipient ?? new ChannelAccount { Id = options.CurrentValue.BotId, Name = options.CurrentValue.BotName };
            var connector = new DirectLineConnector(conversationId, store, streams, bot, timeProvider);
            var identity = DirectLineTokens.Identity(item.UserId, item.BindingId, item.ViaSecret);
            // The entry ends in the turn's closing write, with its done record (issue 22: one statement, not two).
            var entryEnd = new ClosingWrites(store.InboxEnd(conversationId, queued.Seq));
            var outcome = await processor.ProcessAsync(item.Activity, connector, identity, entryEnd, stopping).ConfigureAwait(false);
            if (outcome.StatusCode == 503)
            {
                // The conversation is busy (a proactive turn, or another instance holds this very activity): try again shortly.
                await Task.Delay(outcome.RetryAfter ?? TimeSpan.FromSeconds(1), timeProvider, stopping).ConfigureAwait(false);
                continue;
            }
            if (outcome.StatusCode >= 500)
            {
                // Never re-run: the failed turn may have done part of its work. The user sees the bot's apology, if any.
                LogTurnFailed(logger, outcome.StatusCode);
            }
            if (!entryEnd.Stored)
            {
                // Answered from an earlier record (another instance ran it), or no done record: end the entry here.
                await store.CompleteInboxAsync(conversationId, queued.Seq, CancellationToken.None).ConfigureAwait(false);
            }
            Release(item.HeldId);
            if (_waiters.TryGetValue((conversationId, queued.Seq), out var waiter))
            {
                waiter.TrySetResult();
            }
            if (!more)
            {
                // Nothing was queued behind it when it was read. Whatever was queued since was scheduled after that read,
                // so this pump runs again for it (ConversationPumps' "again"), with a read that also releases its waiters.
                return;
            }
        }
    }

    /// <summary>
    /// Resumes the turns a previous process left queued, asking the store again while it does not answer yet
    /// (<see cref="ConversationPumps.ResumeAsync"/>).
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _pumps.ResumeAsync(
            async stopping =>
            {
                // Before any queued turn runs: rows an earlier version stored as typed are redacted first.
                await migration.RunAsync(stopping).ConfigureAwait(false);
                return await store.ConversationsWithInboxAsync(stopping).ConfigureAwait(false);
            },
            DrainAsync,
            (wait, exception) => LogResumeFailed(logger, wait, exception),
            stoppingToken,
            conversationId => LogResuming(logger, conversationId));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _pumps.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A queued Direct Line turn runs on its redacted copy (the text as typed was held by a process that is gone)")]
    private static partial void LogRunningRedacted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the queued Direct Line turns failed; trying again in {Wait}")]
    private static partial void LogResumeFailed(ILogger logger, TimeSpan wait, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming queued Direct Line turns of conversation {ConversationId}")]
    private static partial void LogResuming(ILogger logger, string conversationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running queued Direct Line turns failed; they stay queued")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Direct Line turn failed ({Status}); it is not run again")]
    private static partial void LogTurnFailed(ILogger logger, int status);
}
