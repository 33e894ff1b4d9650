using Stopwatch = System.Diagnostics.Stopwatch;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Shell;

/// <summary>The start-up warm-up of the turn's path (configuration section <c>Shell</c>).</summary>
public sealed class ShellOptions
{
    public const string SectionName = "Shell";

    /// <summary>
    /// Default true: right after start-up, in the background, the turn's path is run once per locale without a
    /// conversation (understanding, the recognizers' models, the menu's words, reply serialization), so the first
    /// customer does not wait for what is built on first use. It writes nothing and calls no Aria.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// How long after the host starts listening the warm-up waits for the first turn before it runs anyway (default
    /// 5 s). It starts as soon as the first turn is answered: run earlier, it takes one of two cores from the first
    /// customer's "hi", which needs none of what it builds (issue 22, start-up).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan WarmUpDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Builds, in the background after start-up, what the first turn would otherwise build while a customer waits: the
/// Understander's per-locale work and the Recognizers.Text models it uses (dates, amounts, numbers), the menu's words,
/// and the JIT of the reply's serialization. No conversation is created: nothing is stored and Aria is not called, so
/// the warm-up cannot leave a trace a customer or an invariant would see. A failure is logged and forgotten: the
/// first turn then builds it, as it would without the warm-up. It waits for the first turn to be answered (it is
/// also a turn middleware, to see that) or for <see cref="ShellOptions.WarmUpDelay"/>, so it
/// never competes with the first customer for the CPU; a turn that needs what it builds meanwhile builds it itself
/// (or waits for the warm-up's build of it), as without the warm-up.
/// </summary>
public sealed partial class FirstTurnWarmUp(
    IServiceProvider services,
    IOptions<ShellOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<FirstTurnWarmUp> logger) : BackgroundService, BotRuntime.Builder.IMiddleware
{
    // What customers open with, and one line that reaches the date, amount and number recognizers.
    private static readonly string[] Lines = ["hi", "help", "switch my plan next friday", "pay 20.50 for 3 seats"];

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstTurnAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _waitingForTurns = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<BotCulture> _warmed = new();

    // Turns running while the warm-up has not finished (counted only until then), and a task that completes when
    // none is: the cultures after the first wait for it, so they do not take a core from a customer's turn.
    private readonly Lock _turnsGate = new();
    private int _turnsRunning;
    private TaskCompletionSource _noTurnRunning = CompletedSource();
    private BotCulture? _firstTurnCulture;

    /// <summary>Completes when the warm-up has run (or was off, or failed); for tests and diagnostics.</summary>
    public Task Completed => _done.Task;

    /// <summary>Completes when the warm-up begins its work (after the first turn or the delay); for tests.</summary>
    internal Task Started => _started.Task;

    /// <summary>Completes when a culture after the first waits for the turns running to end; for tests.</summary>
    internal Task WaitingForTurns => _waitingForTurns.Task;

    /// <summary>The cultures warmed so far, in the order they were; for tests.</summary>
    internal IReadOnlyCollection<BotCulture> Warmed => _warmed;

    /// <summary>Lets every turn through; the end of the first one (answered or failed) starts the warm-up.</summary>
    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        // After the warm-up a completed task's flag is all a turn pays: no state machine, no allocation.
        return _done.Task.IsCompleted ? next(cancellationToken) : CountedTurnAsync(turnContext, next, cancellationToken);
    }

    private async Task CountedTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        lock (_turnsGate)
        {
            if (_turnsRunning++ == 0)
            {
                _noTurnRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The culture the first customer spoke is warmed first (the conversation's language middleware has set it).
            Interlocked.CompareExchange(ref _firstTurnCulture, BotCulture.Resolve(turnContext.Activity.Locale), null);
            _firstTurnAnswered.TrySetResult();
            TaskCompletionSource? idle = null;
            lock (_turnsGate)
            {
                if (--_turnsRunning == 0)
                {
                    idle = _noTurnRunning;
                }
            }

            idle?.TrySetResult();
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUp)
        {
            _done.TrySetResult();
            return;
        }
        // Off the start-up path: the host finishes starting (and listens) while this waits.
        await Task.Yield();
        try
        {
            await WhenFirstTurnOrDelayAsync(stoppingToken).ConfigureAwait(false);
            _started.TrySetResult();
            var clock = Stopwatch.StartNew();
            await WarmUpAsync(stoppingToken).ConfigureAwait(false);
            LogWarmedUp(logger, (long)clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogWarmUpFailed(logger, exception.GetType().Name);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private async Task WhenFirstTurnOrDelayAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await Task.WhenAny(started.Task, _firstTurnAnswered.Task).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var elapsed = Task.Delay(options.Value.WarmUpDelay, timeProvider, delay.Token);
        await Task.WhenAny(_firstTurnAnswered.Task, elapsed).WaitAsync(stoppingToken).ConfigureAwait(false);
        await delay.CancelAsync().ConfigureAwait(false);
    }

    // The first turn's culture (en-US when the delay started it) first: a date or amount question right after the
    // greeting waits only for its own language's models. Each other culture waits until no turn is running (at most
    // the warm-up delay), so it does not share the two cores with the customer it was built for.
    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        var first = Volatile.Read(ref _firstTurnCulture) ?? BotCulture.Default;
        WarmUp(first, stoppingToken);
        foreach (var culture in BotCulture.Supported)
        {
            if (culture != first)
            {
                await WhenNoTurnRunningAsync(stoppingToken).ConfigureAwait(false);
                WarmUp(culture, stoppingToken);
            }
        }
    }

    private async Task WhenNoTurnRunningAsync(CancellationToken stoppingToken)
    {
        Task idle;
        lock (_turnsGate)
        {
            idle = _noTurnRunning.Task;
        }

        if (idle.IsCompleted)
        {
            return;
        }

        _waitingForTurns.TrySetResult();
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(idle, Task.Delay(options.Value.WarmUpDelay, timeProvider, delay.Token)).WaitAsync(stoppingToken).ConfigureAwait(false);
        await delay.CancelAsync().ConfigureAwait(false);
    }

    private void WarmUp(BotCulture culture, CancellationToken stoppingToken)
    {
        var understander = services.GetService<IUnderstander>();
        var words = services.GetRequiredService<IWords>();
        var main = services.GetRequiredService<MainDialog>();
        var locale = culture.Name;
        foreach (var line in Lines)
        {
            stoppingToken.ThrowIfCancellationRequested();
            understander?.Understand(line, locale);
        }

        foreach (var signedIn in new[] { false, true })
        {
            var menu = MessageFactory.SuggestedActions(main.MenuButtons(locale, signedIn), words.Format(ShellWords.MenuPrompt, locale), InputHints.ExpectingInput);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(menu, BotJson.Options);
            _ = JsonSerializer.Deserialize<Activity>(bytes, BotJson.Options);
        }

        _warmed.Enqueue(culture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The turn's path was warmed up in {Milliseconds} ms")]
    private static partial void LogWarmedUp(ILogger logger, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up the turn's path failed ({ExceptionType}); the first turn builds what it needs")]
    private static partial void LogWarmUpFailed(ILogger logger, string exceptionType);
}
