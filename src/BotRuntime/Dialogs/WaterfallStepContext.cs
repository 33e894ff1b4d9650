namespace BotRuntime.Dialogs;

/// <summary>
/// The context a waterfall step runs in: a <see cref="DialogContext"/> over the same stack (so a step can begin a
/// child or prompt), plus the step's position, the dialog's options, its values and the previous step's result.
/// </summary>
public sealed class WaterfallStepContext : DialogContext
{
    private readonly WaterfallDialog _waterfall;
    private readonly WaterfallState _state;
    private bool _nextCalled;

    internal WaterfallStepContext(WaterfallDialog waterfall, DialogContext dc, WaterfallState state, int index, string name, DialogReason reason, object? result)
        : base(dc.Dialogs, dc.Context, dc.State, dc.Parent)
    {
        _waterfall = waterfall;
        _state = state;
        Index = index;
        StepName = name;
        Reason = reason;
        Result = result;
    }

    public int Index { get; }

    public string StepName { get; }

    public DialogReason Reason { get; }

    /// <summary>The previous step's outcome: a prompt's value, a child dialog's result, the user's text, or a <see cref="Prompts.PromptTooManyAttempts"/>.</summary>
    public object? Result { get; }

    /// <summary>The options the waterfall began with, as the type it declares (<see cref="WaterfallDialog.WithOptions{TOptions}"/>).</summary>
    public object? Options => _waterfall.ReadOptions(_state);

    public DialogValues Values => _state.Values;

    /// <summary>The options as <typeparamref name="T"/> (read from JSON when they were saved).</summary>
    public T? GetOptions<T>() where T : class => _state.Options?.Get<T>();

    /// <summary>The previous result as <typeparamref name="T"/>; throws with a clear message when it is something else.</summary>
    public T ResultAs<T>() => Result is T typed
        ? typed
        : throw new InvalidOperationException($"Step '{StepName}' of '{_waterfall.Id}' expected a {typeof(T).Name} result but got {Result?.GetType().Name ?? "null"}.");

    /// <summary>Skips to the next step now, in this turn, with <paramref name="result"/>. Only once per step.</summary>
    public Task<DialogTurnResult> NextAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (_nextCalled)
        {
            throw new InvalidOperationException($"NextAsync was already called in step '{StepName}' of '{_waterfall.Id}'.");
        }
        _nextCalled = true;
        return _waterfall.ResumeDialogAsync(this, DialogReason.NextCalled, result, cancellationToken);
    }
}
