using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotRuntime.Dialogs;

/// <summary>How <see cref="DialogRunner.RunAsync"/> treats a saved stack this build cannot resume.</summary>
public sealed class DialogRunOptions
{
    public static DialogRunOptions Default { get; } = new();

    /// <summary>The default restart sentence; hosts supply localised words through <see cref="RestartMessage"/>.</summary>
    public const string DefaultRestartText = "Sorry, I've been updated since we last spoke and lost track of where we were. Let's start again.";

    /// <summary>
    /// What the user is told when the saved conversation no longer fits (a dialog gone or changed after a
    /// redeploy); null sends nothing. Default: <see cref="DefaultRestartText"/>, in English.
    /// </summary>
    public Func<ITurnContext, StaleDialog, Activity?> RestartMessage { get; init; } = (_, _) => MessageFactory.Text(DefaultRestartText);

    /// <summary>
    /// A conversation left waiting longer than this starts again from the root instead of resuming (a half-done
    /// plan change from last week should not pick up where it was). Default null: never expires.
    /// </summary>
    public TimeSpan? ExpireAfter { get; init; }

    /// <summary>The default sentence for <see cref="ExpiredMessage"/>.</summary>
    public const string DefaultExpiredText = "It's been a while, so let's start again.";

    /// <summary>What the user is told when the conversation expired; null sends nothing. Default <see cref="DefaultExpiredText"/>.</summary>
    public Func<ITurnContext, Activity?> ExpiredMessage { get; init; } = _ => MessageFactory.Text(DefaultExpiredText);

    /// <summary>The clock for <see cref="ExpireAfter"/>. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options the root dialog begins with (on a fresh stack and after a restart). Default null.</summary>
    public object? RootOptions { get; init; }

    /// <summary>Where restarts are logged (warning, with the developer-facing reason). Default: nowhere.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>The turn driver: continue the saved stack, or begin the root dialog when it is empty.</summary>
public static partial class DialogRunner
{
    /// <summary>
    /// Runs one turn of <paramref name="rootDialog"/> over the stack kept in <paramref name="dialogState"/>
    /// (Bot Framework's <c>Dialog.RunAsync</c>). A stack that no longer fits this build (dialog removed, version
    /// changed, step moved, state unreadable) is cleared: the user gets the restart message and the root dialog
    /// begins again; nothing is thrown at the user. Saving is left to <see cref="AutoSaveStateMiddleware"/> or the caller.
    /// </summary>
    public static async Task<DialogTurnResult> RunAsync(this Dialog rootDialog, ITurnContext turnContext, IStatePropertyAccessor<DialogState> dialogState, DialogRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootDialog);
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(dialogState);
        options ??= DialogRunOptions.Default;

        var dialogs = new DialogSet(dialogState).Add(rootDialog);
        StaleDialog? stale = null;
        DialogState state;
        try
        {
            state = (await dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception exception) when (exception is JsonException or DialogStateMismatchException or NotSupportedException)
        {
            stale = new StaleDialog(rootDialog.Id, $"the saved dialog stack is unreadable: {exception.Message}");
            state = new DialogState();
            await dialogState.SetAsync(turnContext, state, cancellationToken).ConfigureAwait(false);
        }

        var dc = new DialogContext(dialogs, turnContext, state);
        turnContext.TurnState.Set(DialogContext.TurnStateKey, dc);
        var now = options.TimeProvider.GetUtcNow();
        var idle = state.LastTurnAt is { } last ? now - last : TimeSpan.Zero;
        state.LastTurnAt = now;
        if (stale is null && options.ExpireAfter is { } expireAfter && idle > expireAfter && dc.Stack.Count > 0)
        {
            LogExpired(options.Logger, idle);
            dc.Stack.Clear();
            if (options.ExpiredMessage(turnContext) is { } expired)
            {
                await turnContext.SendActivityAsync(expired, cancellationToken).ConfigureAwait(false);
            }
            return await dc.BeginDialogAsync(rootDialog.Id, options.RootOptions, cancellationToken).ConfigureAwait(false);
        }
        stale ??= dc.FindStaleDialog();
        if (stale is not null)
        {
            return await RestartAsync(rootDialog, dc, stale, options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
            if (result.Status == DialogTurnStatus.Empty)
            {
                result = await dc.BeginDialogAsync(rootDialog.Id, options.RootOptions, cancellationToken).ConfigureAwait(false);
            }
            return result;
        }
        catch (DialogStateMismatchException exception)
        {
            // Found only while running (a state that reads as another shape deeper than the pre-check looks).
            return await RestartAsync(rootDialog, dc, new StaleDialog(dc.ActiveDialog?.Id ?? rootDialog.Id, exception.Message), options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<DialogTurnResult> RestartAsync(Dialog rootDialog, DialogContext dc, StaleDialog stale, DialogRunOptions options, CancellationToken cancellationToken)
    {
        LogRestart(options.Logger, stale.DialogId, stale.Reason);
        // Cleared without running the old dialogs' end handlers: their code may be exactly what no longer fits.
        dc.Stack.Clear();
        if (options.RestartMessage(dc.Context, stale) is { } message)
        {
            await dc.Context.SendActivityAsync(message, cancellationToken).ConfigureAwait(false);
        }
        return await dc.BeginDialogAsync(rootDialog.Id, options.RootOptions, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dialog stack idle for {Idle} expired; starting the conversation again")]
    private static partial void LogExpired(ILogger logger, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saved dialog stack does not fit this build ({DialogId}: {Reason}); restarting the conversation")]
    private static partial void LogRestart(ILogger logger, string dialogId, string reason);
}
