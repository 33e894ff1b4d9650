using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>Judges a recognised answer; return false to ask again. See <see cref="PromptValidatorContext{T}"/>.</summary>
public delegate Task<bool> PromptValidator<T>(PromptValidatorContext<T> promptContext, CancellationToken cancellationToken);

/// <summary>What a prompt's recogniser made of the answer.</summary>
/// <param name="Succeeded">True when a value was recognised.</param>
/// <param name="Value">The value; meaningful only when <paramref name="Succeeded"/>.</param>
/// <param name="Outcome">Why recognition failed or how it matched (e.g. <c>NoMatch</c>, <c>Ambiguous</c>, <c>WrongCurrency</c>, <c>Qualified</c>).</param>
/// <param name="Details">The recogniser's full result (a <c>MoneyResult</c>, <c>ChoiceResult</c>…), for validators that explain the problem.</param>
public sealed record PromptRecognizerResult<T>(bool Succeeded, T? Value, string Outcome, object? Details = null)
{
    public static PromptRecognizerResult<T> Recognized(T value, object? details = null) => new(true, value, "Recognized", details);

    public static PromptRecognizerResult<T> Failed(string outcome, object? details = null) => new(false, default, outcome, details);
}

/// <summary>What a validator sees: the recognised value, how many answers this is, the options and the turn.</summary>
public sealed class PromptValidatorContext<T>
{
    internal PromptValidatorContext(ITurnContext context, PromptRecognizerResult<T> recognized, PromptOptions options, int attemptCount)
    {
        Context = context;
        Recognized = recognized;
        Options = options;
        AttemptCount = attemptCount;
    }

    public ITurnContext Context { get; }

    public PromptRecognizerResult<T> Recognized { get; }

    public PromptOptions Options { get; }

    /// <summary>1 for the first answer, counting this one.</summary>
    public int AttemptCount { get; }

    /// <summary>True when a failure now makes the prompt give up.</summary>
    public bool IsLastAttempt => AttemptCount >= Options.MaxAttempts;

    /// <summary>Set to ask again with this activity instead of the options' retry prompt, for this attempt only.</summary>
    public Activity? RetryPrompt { get; set; }
}

/// <summary>
/// The result a prompt ends with when the user did not give a valid answer within <see cref="PromptOptions.MaxAttempts"/>.
/// The parent sees it as its step's result: <c>if (step.Result is PromptTooManyAttempts) …</c>.
/// </summary>
public sealed record PromptTooManyAttempts(string PromptId, int Attempts);

/// <summary>What a prompt keeps between turns.</summary>
public sealed class PromptState
{
    public PromptOptions Options { get; set; } = new();

    /// <summary>Answers received so far.</summary>
    public int AttemptCount { get; set; }
}

/// <summary>
/// A dialog that asks one question and ends with a typed answer (Bot Framework's <c>Prompt&lt;T&gt;</c>), fixing
/// what its users complain about: the retry prompt is always sent after a failed answer, even when the turn
/// already sent something; and after <see cref="PromptOptions.MaxAttempts"/> failures it ends with
/// <see cref="PromptTooManyAttempts"/> instead of asking for ever. Recognition is culture-aware: the activity's
/// locale, else <see cref="DefaultLocale"/>, else en-US.
/// <para>
/// The validator, when there is one, runs on every answer (so it can explain a failure), but an answer counts
/// only when it was recognised <em>and</em> the validator accepts it: a validator cannot let an unrecognised
/// answer through as a default value.
/// </para>
/// </summary>
public abstract class Prompt<T> : Dialog
{
    private readonly PromptValidator<T>? _validator;

    protected Prompt(string dialogId, PromptValidator<T>? validator = null, int version = 1)
        : base(dialogId, version)
    {
        _validator = validator;
    }

    /// <summary>The locale used when an activity has none (null: en-US).</summary>
    public string? DefaultLocale { get; set; }

    /// <summary>
    /// Builds the question each time it is asked (the first time and every re-prompt) when the options hold none
    /// (<see cref="PromptOptions.Prompt"/> and, on a retry, <see cref="PromptOptions.RetryPrompt"/> null). A question
    /// that is large and can be rebuilt, like a menu of buttons from words, then need not be saved in every
    /// conversation's state: the options keep only what identifies it (in <see cref="PromptOptions.Validations"/>).
    /// Options saved with a question are asked as saved.
    /// </summary>
    public Func<ITurnContext, PromptOptions, CancellationToken, Task<Activity?>>? Render { get; init; }

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (options is not PromptOptions promptOptions)
        {
            throw new ArgumentException($"Prompt '{Id}' needs PromptOptions, got {options?.GetType().Name ?? "null"}.", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptOptions.MaxAttempts, "options.MaxAttempts");
        var state = new PromptState { Options = promptOptions };
        dc.ActiveDialog!.SetState(state);
        await OnPromptAsync(dc.Context, promptOptions, false, null, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (!dc.Context.Activity.IsType(ActivityTypes.Message))
        {
            return EndOfTurn;
        }
        var state = StateOf(dc.ActiveDialog!);
        var options = state.Options;
        var recognized = await OnRecognizeAsync(dc.Context, options, cancellationToken).ConfigureAwait(false);
        state.AttemptCount++;

        var valid = recognized.Succeeded;
        Activity? retryOverride = null;
        if (_validator is not null)
        {
            var context = new PromptValidatorContext<T>(dc.Context, recognized, options, state.AttemptCount);
            var accepted = await _validator(context, cancellationToken).ConfigureAwait(false);
            valid = valid && accepted;
            retryOverride = context.RetryPrompt;
        }

        if (valid)
        {
            return await dc.EndDialogAsync(recognized.Value, cancellationToken).ConfigureAwait(false);
        }
        if (state.AttemptCount >= options.MaxAttempts)
        {
            if (options.TooManyAttemptsMessage is { } giveUp)
            {
                await dc.Context.SendActivityAsync(giveUp.Clone(), cancellationToken).ConfigureAwait(false);
            }
            return await dc.EndDialogAsync(new PromptTooManyAttempts(Id, state.AttemptCount), cancellationToken).ConfigureAwait(false);
        }
        // Deliberately not conditional on turnContext.Responded (SDK bugs #2625, #1629): a typing indicator or the
        // validator's own explanation must not swallow the question the user has to answer.
        await OnPromptAsync(dc.Context, options, true, retryOverride, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>Something the host began above this prompt ended: ask the question again.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return OnPromptAsync(turnContext, StateOf(instance).Options, false, null, cancellationToken);
    }

    protected internal override StaleDialog? CheckSavedInstance(DialogContext dc, DialogInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        StateOf(instance);
        return null;
    }

    /// <summary>The kind names the value type too (<c>ChoicePrompt&lt;FoundChoice&gt;</c>): the saved state and result depend on it.</summary>
    public override DialogSignature GetSignature() => new(Id, Version, GetType().IsGenericType ? KindOf(GetType()) : $"{KindOf(GetType())}<{KindOf(typeof(T))}>", []);

    /// <summary>Turns the user's activity into a value.</summary>
    protected abstract Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken);

    /// <summary>Sends the question (or the retry); override to add buttons. <paramref name="retryOverride"/> comes from the validator.</summary>
    protected virtual async Task OnPromptAsync(ITurnContext turnContext, PromptOptions options, bool isRetry, Activity? retryOverride, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var activity = PromptActivity(options, isRetry, retryOverride);
        if (activity is null && Render is not null && await Render(turnContext, options, cancellationToken).ConfigureAwait(false) is { } rendered)
        {
            activity = Expecting(rendered);
        }
        if (activity is not null)
        {
            await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A copy of the activity to send (never the stored one), marked as expecting input; null when there is none.</summary>
    protected static Activity? PromptActivity(PromptOptions options, bool isRetry, Activity? retryOverride)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = retryOverride ?? (isRetry ? options.RetryPrompt ?? options.Prompt : options.Prompt);
        if (source is null)
        {
            return null;
        }
        return Expecting(source.Clone());
    }

    private static Activity Expecting(Activity activity)
    {
        activity.Type ??= ActivityTypes.Message;
        if (activity.InputHint != InputHints.IgnoringInput)
        {
            activity.InputHint = InputHints.ExpectingInput;
        }
        return activity;
    }

    /// <summary>The locale recognition and rendering use for this turn.</summary>
    protected string? LocaleOf(ITurnContext turnContext) => turnContext?.Activity.Locale ?? DefaultLocale;

    private static PromptState StateOf(DialogInstance instance) =>
        instance.GetState<PromptState>() ?? throw new DialogStateMismatchException($"Prompt '{instance.Id}' has no saved state.");
}
