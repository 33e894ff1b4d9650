using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>
/// One of <see cref="PromptOptions.Choices"/>: the exact value or a synonym, its number ("2"), an ordinal ("the
/// second one", "la segunda"), or a partial or slightly misspelt name ("gold" for "Gold Plan"). Two choices that
/// fit equally well are a failed attempt with <c>Ambiguous</c> (the candidates are in the details), never a guess.
/// The choices are shown as buttons or a list in the style the channel can display (<see cref="ChoiceFactory"/>).
/// </summary>
public sealed class ChoicePrompt(string dialogId, PromptValidator<FoundChoice>? validator = null, int version = 1)
    : Prompt<FoundChoice>(dialogId, validator, version)
{
    /// <summary>How choices are shown when the options do not say. Default <see cref="ListStyle.Auto"/>.</summary>
    public ListStyle Style { get; init; } = ListStyle.Auto;

    public ChoiceRenderOptions RenderOptions { get; init; } = ChoiceRenderOptions.Default;

    public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        if (options is PromptOptions { Choices: null or { Count: 0 } })
        {
            throw new ArgumentException($"Choice prompt '{Id}' needs PromptOptions.Choices.", nameof(options));
        }
        return base.BeginDialogAsync(dc, options, cancellationToken);
    }

    protected override Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var result = ChoiceInput.Recognize(turnContext.Activity.Text, options.Choices ?? [], LocaleOf(turnContext));
        return Task.FromResult(result is { Succeeded: true, Match: { } match }
            ? PromptRecognizerResult<FoundChoice>.Recognized(match, result)
            : PromptRecognizerResult<FoundChoice>.Failed(result.Outcome.ToString(), result));
    }

    protected override async Task OnPromptAsync(ITurnContext turnContext, PromptOptions options, bool isRetry, Activity? retryOverride, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        if (PromptActivity(options, isRetry, retryOverride) is not { } activity)
        {
            return;
        }
        var buttons = (options.Choices ?? []).Select(choice => new ChoiceButton(choice.Value, choice.Value)).ToList();
        var rendered = ChoiceFactory.AppendChoices(activity, turnContext.Activity, buttons, options.Style ?? Style, LocaleOf(turnContext), RenderOptions);
        await turnContext.SendActivityAsync(rendered, cancellationToken).ConfigureAwait(false);
    }
}
