using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BotRuntime.Dialogs;

/// <summary>One step of a waterfall: ask something, or act on the previous step's <see cref="WaterfallStepContext.Result"/>.</summary>
public delegate Task<DialogTurnResult> WaterfallStep(WaterfallStepContext stepContext, CancellationToken cancellationToken);

/// <summary>
/// A fixed sequence of named steps (Bot Framework's WaterfallDialog). Each step usually prompts; the answer
/// becomes the next step's <see cref="WaterfallStepContext.Result"/>. After the last step the dialog ends with the
/// last result.
/// <code>
/// new WaterfallDialog("switchPlan", version: 2)
///     .WithOptions&lt;SwitchPlanOptions&gt;()
///     .Step("choosePlan", ChoosePlanAsync)
///     .Step(ConfirmAsync)               // named "Confirm" after the method
/// </code>
/// Step names are saved with each running instance and listed in the dialog snapshot: renaming, adding,
/// removing or reordering steps needs a <see cref="Dialog.Version"/> bump.
/// </summary>
public class WaterfallDialog : Dialog
{
    private static readonly Regex StepName = new("^[A-Za-z][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);
    private readonly List<(string Name, WaterfallStep Step)> _steps = [];

    public WaterfallDialog(string id, int version = 1)
        : base(id, version)
    {
    }

    /// <summary>Steps named after their methods (<c>ChoosePlanAsync</c> → <c>ChoosePlan</c>); lambdas need <see cref="Step(string, WaterfallStep)"/>.</summary>
    public WaterfallDialog(string id, IEnumerable<WaterfallStep> steps, int version = 1)
        : base(id, version)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps)
        {
            Step(step);
        }
    }

    /// <summary>The type stored options are read back as; null keeps them as they were given (JSON after a restart).</summary>
    public Type? OptionsType { get; private set; }

    public IReadOnlyList<string> StepNames => [.. _steps.Select(step => step.Name)];

    public WaterfallDialog Step(string name, WaterfallStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (string.IsNullOrEmpty(name) || !StepName.IsMatch(name))
        {
            throw new ArgumentException($"Step name '{name}' of waterfall '{Id}' must start with a letter and use letters, digits, '_', '.' or '-'.", nameof(name));
        }
        if (_steps.Exists(existing => existing.Name == name))
        {
            throw new ArgumentException($"Waterfall '{Id}' already has a step named '{name}'.", nameof(name));
        }
        _steps.Add((name, step));
        return this;
    }

    public WaterfallDialog Step(WaterfallStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var name = step.Method.Name;
        if (name.Contains('<', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A lambda step of waterfall '{Id}' has no stable name; use Step(\"name\", step).", nameof(step));
        }
        return Step(name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name, step);
    }

    /// <summary>Declares the options type: options are checked at begin and read back as this type after a restart.</summary>
    public WaterfallDialog WithOptions<TOptions>() where TOptions : class
    {
        OptionsType = typeof(TOptions);
        return this;
    }

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        // Options that were kept as JSON meanwhile (a parent held them across turns) come back as the declared type.
        if (options is System.Text.Json.JsonElement json && OptionsType is not null)
        {
            options = json.ValueKind is System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined
                ? null
                : System.Text.Json.JsonSerializer.Deserialize(json, OptionsType, State.StateJson.Options);
        }
        if (options is not null && OptionsType is not null && !OptionsType.IsInstanceOfType(options))
        {
            throw new ArgumentException($"Waterfall '{Id}' takes {OptionsType.Name} options, not {options.GetType().Name}.", nameof(options));
        }
        var state = new WaterfallState { Options = StoredValue.FromObject(options) };
        dc.ActiveDialog!.SetState(state);
        return await RunStepAsync(dc, state, 0, DialogReason.BeginCalled, null, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        // Only a message answers a step that returned EndOfTurn; typing, events and the like leave it waiting.
        if (!dc.Context.Activity.IsType(Schema.ActivityTypes.Message))
        {
            return EndOfTurn;
        }
        return await ResumeDialogAsync(dc, DialogReason.ContinueCalled, dc.Context.Activity.Text, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var state = StateOf(dc.ActiveDialog!);
        return await RunStepAsync(dc, state, state.StepIndex + 1, reason, result, cancellationToken).ConfigureAwait(false);
    }

    protected internal override StaleDialog? CheckSavedInstance(DialogContext dc, DialogInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var state = StateOf(instance);
        if (state.StepIndex < 0 || state.StepIndex >= _steps.Count || _steps[state.StepIndex].Name != state.StepName)
        {
            return new StaleDialog(Id, $"waterfall '{Id}' was saved in step {state.StepIndex} '{state.StepName}', which is not where that step is now");
        }
        // Options of the declared type must still read back; a reshaped options class is as stale as a moved step.
        if (OptionsType is not null)
        {
            state.Options?.Get(OptionsType);
        }
        return null;
    }

    public override DialogSignature GetSignature() => new(Id, Version, nameof(WaterfallDialog), StepNames);

    /// <summary>Runs step <paramref name="index"/>, or ends with <paramref name="result"/> after the last step.</summary>
    protected virtual async Task<DialogTurnResult> RunStepAsync(DialogContext dc, WaterfallState state, int index, DialogReason reason, object? result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dc);
        ArgumentNullException.ThrowIfNull(state);
        if (index >= _steps.Count)
        {
            return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
        }
        state.StepIndex = index;
        state.StepName = _steps[index].Name;
        var stepContext = new WaterfallStepContext(this, dc, state, index, _steps[index].Name, reason, result);
        return await _steps[index].Step(stepContext, cancellationToken).ConfigureAwait(false);
    }

    internal object? ReadOptions(WaterfallState state) =>
        state.Options is null ? null : OptionsType is null ? state.Options.Peek() : state.Options.Get(OptionsType);

    private static WaterfallState StateOf(DialogInstance instance) =>
        instance.GetState<WaterfallState>() ?? throw new DialogStateMismatchException($"Waterfall '{instance.Id}' has no saved state.");
}

/// <summary>What a waterfall keeps between turns.</summary>
public sealed class WaterfallState
{
    /// <summary>Serialised as "options"; read through <see cref="WaterfallStepContext.Options"/>.</summary>
    [JsonInclude]
    [JsonPropertyName("options")]
    internal StoredValue? Options { get; set; }

    public DialogValues Values { get; set; } = new();

    public int StepIndex { get; set; }

    /// <summary>The name of the step at <see cref="StepIndex"/> when it ran: a moved step is detected on resume even without a version bump.</summary>
    public string? StepName { get; set; }
}
