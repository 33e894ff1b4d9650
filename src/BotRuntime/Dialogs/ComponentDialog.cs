using BotRuntime.Builder;

namespace BotRuntime.Dialogs;

/// <summary>
/// A dialog made of dialogs (Bot Framework's ComponentDialog): it owns a <see cref="DialogSet"/> and keeps
/// its own inner stack inside its instance state, so it can be reused and nested. It begins
/// <see cref="InitialDialogId"/> (the first dialog added, unless set) and ends with the inner stack's result.
/// </summary>
public class ComponentDialog : Dialog
{
    public ComponentDialog(string id, int version = 1)
        : base(id, version)
    {
    }

    protected DialogSet Dialogs { get; } = new();

    public string? InitialDialogId { get; set; }

    public ComponentDialog AddDialog(Dialog dialog)
    {
        Dialogs.Add(dialog);
        InitialDialogId ??= dialog.Id;
        return this;
    }

    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId);

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var instance = dc.ActiveDialog!;
        var state = new ComponentState();
        instance.SetState(state);
        var inner = new DialogContext(Dialogs, dc, state.Dialogs);
        var result = await OnBeginDialogAsync(inner, options, cancellationToken).ConfigureAwait(false);
        return await AfterInnerTurnAsync(dc, instance, result, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var instance = dc.ActiveDialog!;
        var inner = CreateInnerContext(dc, instance);
        var result = await OnContinueDialogAsync(inner, cancellationToken).ConfigureAwait(false);
        return await AfterInnerTurnAsync(dc, instance, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A dialog the host began above this component ended: ask again for what the inner stack waits for.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        await CreateInnerContext(dc, dc.ActiveDialog!).RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var state = StateOf(instance);
        var inner = new DialogContext(Dialogs, turnContext, state.Dialogs);
        await inner.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (reason == DialogReason.CancelCalled && instance.GetState<ComponentState>() is { } state)
        {
            await new DialogContext(Dialogs, turnContext, state.Dialogs).CancelAllDialogsAsync(false, cancellationToken).ConfigureAwait(false);
        }
    }

    protected internal override StaleDialog? CheckSavedInstance(DialogContext dc, DialogInstance instance)
    {
        ArgumentNullException.ThrowIfNull(dc);
        ArgumentNullException.ThrowIfNull(instance);
        return CreateInnerContext(dc, instance).FindStaleDialog();
    }

    public override IEnumerable<Dialog> GetChildDialogs() => Dialogs;

    /// <summary>Begins the initial dialog; override to begin something else or to pass other options.</summary>
    protected virtual Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        var initial = InitialDialogId ?? throw new InvalidOperationException($"Component '{Id}' has no dialogs.");
        return innerDc.BeginDialogAsync(initial, options, cancellationToken);
    }

    /// <summary>Continues the inner stack; override to look at the activity first (interruptions).</summary>
    protected virtual Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return innerDc.ContinueDialogAsync(cancellationToken);
    }

    /// <summary>Ends the component with the inner result; override to shape the result the parent receives.</summary>
    protected virtual Task<DialogTurnResult> EndComponentAsync(DialogContext outerDc, object? result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        return outerDc.EndDialogAsync(result, cancellationToken);
    }

    protected DialogContext CreateInnerContext(DialogContext outerDc, DialogInstance instance) =>
        new(Dialogs, outerDc, StateOf(instance).Dialogs);

    /// <summary>The component's own values in <paramref name="instance"/> (see <see cref="ComponentState.Values"/>).</summary>
    protected static DialogValues ValuesOf(DialogInstance instance) => StateOf(instance).Values;

    private async Task<DialogTurnResult> AfterInnerTurnAsync(DialogContext dc, DialogInstance instance, DialogTurnResult result, CancellationToken cancellationToken)
    {
        // Something inside cancelled or restarted the stacks above us: we are gone, pass the outcome up untouched
        // rather than resuming a parent that no longer waits (the SDK's "interruption misfires").
        if (!ReferenceEquals(dc.ActiveDialog, instance))
        {
            return result;
        }
        if (result.Status == DialogTurnStatus.Waiting)
        {
            return EndOfTurn;
        }
        return await EndComponentAsync(dc, result.Result, cancellationToken).ConfigureAwait(false);
    }

    private static ComponentState StateOf(DialogInstance instance) =>
        instance.GetState<ComponentState>() ?? throw new DialogStateMismatchException($"Component '{instance.Id}' has no saved state.");
}

/// <summary>A component's saved inner stack, and values the component keeps for itself beside it.</summary>
public sealed class ComponentState
{
    public DialogState Dialogs { get; set; } = new();

    /// <summary>The component's own values (not its inner dialogs'), typed like a waterfall's.</summary>
    public DialogValues Values { get; set; } = new();
}
