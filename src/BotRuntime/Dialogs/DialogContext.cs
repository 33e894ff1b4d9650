using BotRuntime.Builder;
using BotRuntime.Dialogs.Prompts;

namespace BotRuntime.Dialogs;

/// <summary>
/// A dialog stack in the middle of a turn: begin, continue, end, replace, cancel and prompt, with the Bot
/// Framework's semantics. Index 0 of <see cref="Stack"/> is the top.
/// </summary>
public class DialogContext
{
    /// <summary>Where the dialog runner leaves the turn's root context, for tests and diagnostics.</summary>
    public const string TurnStateKey = "BotRuntime.Dialogs.DialogContext";

    public DialogContext(DialogSet dialogs, ITurnContext turnContext, DialogState state)
        : this(dialogs, turnContext, state, null)
    {
    }

    /// <summary>A context over <paramref name="state"/> whose dialogs can also reach <paramref name="parent"/>'s (a component's inner stack).</summary>
    public DialogContext(DialogSet dialogs, DialogContext parent, DialogState state)
        : this(dialogs, (parent ?? throw new ArgumentNullException(nameof(parent))).Context, state, parent)
    {
    }

    private protected DialogContext(DialogSet dialogs, ITurnContext turnContext, DialogState state, DialogContext? parent)
    {
        Dialogs = dialogs ?? throw new ArgumentNullException(nameof(dialogs));
        Context = turnContext ?? throw new ArgumentNullException(nameof(turnContext));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Parent = parent;
    }

    public DialogSet Dialogs { get; }

    public ITurnContext Context { get; }

    public DialogState State { get; }

    public List<DialogInstance> Stack => State.DialogStack;

    /// <summary>The context of the component that owns this stack; null at the root.</summary>
    public DialogContext? Parent { get; }

    /// <summary>The outermost context (the conversation's own stack).</summary>
    public DialogContext Root
    {
        get
        {
            var dc = this;
            while (dc.Parent is not null)
            {
                dc = dc.Parent;
            }
            return dc;
        }
    }

    public DialogInstance? ActiveDialog => Stack.Count > 0 ? Stack[0] : null;

    /// <summary>Finds a dialog in this set, then in the parents' sets (so a component's steps can start the host's dialogs).</summary>
    public Dialog? FindDialog(string dialogId)
    {
        for (var dc = this; dc is not null; dc = dc.Parent)
        {
            if (dc.Dialogs.Find(dialogId) is { } dialog)
            {
                return dialog;
            }
        }
        return null;
    }

    /// <summary>Pushes the dialog and begins it. An unknown id is a programming error and throws.</summary>
    public async Task<DialogTurnResult> BeginDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dialogId);
        var dialog = FindDialog(dialogId)
            ?? throw new InvalidOperationException($"Dialog '{dialogId}' is not in this dialog set or its parents'.");
        Stack.Insert(0, new DialogInstance(dialog.Id, dialog.Version));
        return await dialog.BeginDialogAsync(this, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Begins a prompt with its options (Bot Framework's <c>PromptAsync</c>).</summary>
    public Task<DialogTurnResult> PromptAsync(string dialogId, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BeginDialogAsync(dialogId, options, cancellationToken);
    }

    /// <summary>Hands the turn to the dialog on top; <see cref="DialogTurnStatus.Empty"/> when there is none.</summary>
    public async Task<DialogTurnResult> ContinueDialogAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is not { } instance)
        {
            return new DialogTurnResult(DialogTurnStatus.Empty);
        }
        var dialog = RequireDialog(instance);
        return await dialog.ContinueDialogAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pops the active dialog and resumes the one below it with <paramref name="result"/>.</summary>
    public async Task<DialogTurnResult> EndDialogAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is { } ending)
        {
            await EndActiveDialogAsync(ending, DialogReason.EndCalled, cancellationToken).ConfigureAwait(false);
        }
        if (ActiveDialog is { } below)
        {
            var dialog = RequireDialog(below);
            return await dialog.ResumeDialogAsync(this, DialogReason.EndCalled, result, cancellationToken).ConfigureAwait(false);
        }
        return new DialogTurnResult(DialogTurnStatus.Complete, result);
    }

    /// <summary>Ends the active dialog without resuming its parent and begins another in its place.</summary>
    public async Task<DialogTurnResult> ReplaceDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is { } ending)
        {
            await EndActiveDialogAsync(ending, DialogReason.ReplaceCalled, cancellationToken).ConfigureAwait(false);
        }
        return await BeginDialogAsync(dialogId, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every dialog on this stack (top first) and, with <paramref name="cancelParents"/>, on every parent stack
    /// up to the root, so that a component deep in the stack can end the whole conversation's dialogs at once.
    /// </summary>
    public async Task<DialogTurnResult> CancelAllDialogsAsync(bool cancelParents = false, CancellationToken cancellationToken = default)
    {
        var cancelledAny = false;
        for (var dc = this; dc is not null; dc = cancelParents ? dc.Parent : null)
        {
            while (dc.ActiveDialog is { } instance)
            {
                await dc.EndActiveDialogAsync(instance, DialogReason.CancelCalled, cancellationToken).ConfigureAwait(false);
                cancelledAny = true;
            }
        }
        return new DialogTurnResult(cancelledAny ? DialogTurnStatus.Cancelled : DialogTurnStatus.Empty);
    }

    /// <summary>Asks the active dialog to ask again for what it waits for.</summary>
    public async Task RepromptDialogAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is { } instance)
        {
            await RequireDialog(instance).RepromptDialogAsync(Context, instance, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The first saved instance on this stack (and, through components, on inner stacks) that this build cannot
    /// resume: its dialog is gone, has another version, or reports its saved state stale. Null when all fit.
    /// </summary>
    public StaleDialog? FindStaleDialog()
    {
        foreach (var instance in Stack)
        {
            var dialog = FindDialog(instance.Id);
            if (dialog is null)
            {
                return new StaleDialog(instance.Id, $"dialog '{instance.Id}' no longer exists");
            }
            if (dialog.Version != instance.Version)
            {
                return new StaleDialog(instance.Id, $"dialog '{instance.Id}' was saved at version {instance.Version} and is now version {dialog.Version}");
            }
            StaleDialog? stale;
            try
            {
                stale = dialog.CheckSavedInstance(this, instance);
            }
            catch (DialogStateMismatchException exception)
            {
                stale = new StaleDialog(instance.Id, exception.Message);
            }
            if (stale is not null)
            {
                return stale;
            }
        }
        return null;
    }

    private async Task EndActiveDialogAsync(DialogInstance instance, DialogReason reason, CancellationToken cancellationToken)
    {
        // Popped first so that whatever the dialog does while ending sees the stack without it.
        Stack.Remove(instance);
        if (FindDialog(instance.Id) is { } dialog)
        {
            await dialog.EndDialogAsync(Context, instance, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    private Dialog RequireDialog(DialogInstance instance) =>
        FindDialog(instance.Id) ?? throw new DialogStateMismatchException($"The saved stack names dialog '{instance.Id}', which this build does not have.");
}
