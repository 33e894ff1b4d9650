using BotRuntime.Builder;
using BotRuntime.Recognition;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>Any non-blank text, trimmed. Attachments-only or empty messages are failed attempts.</summary>
public sealed class TextPrompt(string dialogId, PromptValidator<string>? validator = null, int version = 1)
    : Prompt<string>(dialogId, validator, version)
{
    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = TextInput.Recognize(turnContext.Activity.Text);
        return Task.FromResult(result.Succeeded
            ? PromptRecognizerResult<string>.Recognized(result.Value, result)
            : PromptRecognizerResult<string>.Failed("NoMatch", result));
    }
}

/// <summary>An e-mail address (Recognizers.Text sequence model); the address as typed, without the words around it.</summary>
public sealed class EmailPrompt(string dialogId, PromptValidator<string>? validator = null, int version = 1)
    : Prompt<string>(dialogId, validator, version)
{
    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return Task.FromResult(FromSequence(EmailInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext))));
    }

    internal static PromptRecognizerResult<string> FromSequence(SequenceResult result) => result.Succeeded && result.Value is { } value
        ? PromptRecognizerResult<string>.Recognized(value, result)
        : PromptRecognizerResult<string>.Failed(result.Outcome.ToString(), result);
}

/// <summary>A phone number (Recognizers.Text sequence model), scored at least <see cref="MinimumScore"/>.</summary>
public sealed class PhonePrompt(string dialogId, PromptValidator<string>? validator = null, int version = 1)
    : Prompt<string>(dialogId, validator, version)
{
    /// <summary>How sure the recogniser must be. Default <see cref="PhoneInput.DefaultMinimumScore"/> (a bare 9-digit number counts).</summary>
    public double MinimumScore { get; init; } = PhoneInput.DefaultMinimumScore;

    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return Task.FromResult(EmailPrompt.FromSequence(PhoneInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext), MinimumScore)));
    }
}
