using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text.Json;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Understanding;
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
}

/// <summary>
/// Builds, in the background after start-up, what the first turn would otherwise build while a customer waits: the
/// Understander's per-locale work and the Recognizers.Text models it uses (dates, amounts, numbers), the menu's words,
/// and the JIT of the reply's serialization. No conversation is created: nothing is stored and Aria is not called, so
/// the warm-up cannot leave a trace a customer or an invariant would see. A failure is logged and forgotten: the
/// first turn then builds it, as it would without the warm-up.
/// </summary>
public sealed partial class FirstTurnWarmUp(
    IServiceProvider services,
    IOptions<ShellOptions> options,
    ILogger<FirstTurnWarmUp> logger) : BackgroundService
{
    // What customers open with, and one line that reaches the date, amount and number recognizers.
    private static readonly string[] Lines = ["hi", "help", "switch my plan next friday", "pay 20.50 for 3 seats"];

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has run (or was off, or failed); for tests and diagnostics.</summary>
    public Task Completed => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUp)
        {
            _done.TrySetResult();
            return;
        }
        // Off the start-up path: the host finishes starting (and listens) while this runs.
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        try
        {
            WarmUp(stoppingToken);
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

    private void WarmUp(CancellationToken stoppingToken)
    {
        var understander = services.GetService<IUnderstander>();
        var words = services.GetRequiredService<IWords>();
        var main = services.GetRequiredService<MainDialog>();
        foreach (var culture in BotCulture.Supported)
        {
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
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The turn's path was warmed up in {Milliseconds} ms")]
    private static partial void LogWarmedUp(ILogger logger, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up the turn's path failed ({ExceptionType}); the first turn builds what it needs")]
    private static partial void LogWarmUpFailed(ILogger logger, string exceptionType);
}
