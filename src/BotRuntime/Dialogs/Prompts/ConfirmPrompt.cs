using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>
/// Yes or no, by words in the user's language ("yes please", "nope", "vale", "de acuerdo") or by the prompt's
/// buttons, which post values the recogniser understands in that language ("Yes"/"No", "Sí"/"No").
/// With <see cref="Strict"/> only a whole-utterance answer counts — "yes but 5 seats" is asked again — which is
/// what confirming a write needs (invariant 2, docs/invariants.md).
/// </summary>
public sealed class ConfirmPrompt(string dialogId, PromptValidator<bool>? validator = null, int version = 1)
    : Prompt<bool>(dialogId, validator, version)
{
    /// <summary>Only a whole-utterance yes or no counts (politeness aside). Default false.</summary>
    public bool Strict { get; init; }

    /// <summary>How the buttons are shown when the options do not say. Default <see cref="ListStyle.Auto"/>.</summary>
    public ListStyle Style { get; init; } = ListStyle.Auto;

    /// <summary>Button titles per locale; the posted values are always the recogniser's. Default "Yes"/"No", "Sí"/"No".</summary>
    public Func<string?, (string Yes, string No)> ButtonTitles { get; init; } = locale => (ConfirmInput.YesButtonValue(locale), ConfirmInput.NoButtonValue(locale));

    public ChoiceRenderOptions RenderOptions { get; init; } = ChoiceRenderOptions.Default;

    protected override Task<PromptRecognizerResult<bool>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = ConfirmInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext), Strict ? ConfirmOptions.StrictYes : ConfirmOptions.Default);
        return Task.FromResult(result.Succeeded
            ? PromptRecognizerResult<bool>.Recognized(result.Value, result)
            : PromptRecognizerResult<bool>.Failed(result.Outcome.ToString(), result));
    }

    protected override async Task OnPromptAsync(ITurnContext turnContext, PromptOptions options, bool isRetry, Activity? retryOverride, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        if (PromptActivity(options, isRetry, retryOverride) is not { } activity)
        {
            return;
        }
        var locale = LocaleOf(turnContext);
        var (yes, no) = ButtonTitles(locale);
        ChoiceButton[] buttons = [new(yes, ConfirmInput.YesButtonValue(locale)), new(no, ConfirmInput.NoButtonValue(locale))];
        var rendered = ChoiceFactory.AppendChoices(activity, turnContext.Activity, buttons, options.Style ?? Style, locale, RenderOptions);
        await turnContext.SendActivityAsync(rendered, cancellationToken).ConfigureAwait(false);
    }
}
