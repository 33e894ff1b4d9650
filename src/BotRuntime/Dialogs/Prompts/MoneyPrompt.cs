using BotRuntime.Builder;
using BotRuntime.Recognition;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>An amount in a known currency (ISO 4217).</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>
/// An amount of money: "$50", "fifty dollars", "50,50 €", or a bare "50.5" meaning the expected currency.
/// The expected currency and whether zero or negative amounts are allowed come from
/// <see cref="PromptOptions.Validations"/> as a <see cref="MoneyOptions"/> (per prompt: the account's currency),
/// else from <see cref="DefaultOptions"/>. A stated other currency ("50 euros" for a USD account), zero, a negative
/// amount or too many decimals are failed attempts; <see cref="PromptRecognizerResult{T}.Outcome"/> says which.
/// </summary>
public sealed class MoneyPrompt(string dialogId, MoneyOptions defaultOptions, PromptValidator<Money>? validator = null, int version = 1)
    : Prompt<Money>(dialogId, validator, version)
{
    /// <summary>Used when the prompt's options carry no <see cref="MoneyOptions"/>.</summary>
    public MoneyOptions DefaultOptions { get; } = defaultOptions ?? throw new ArgumentNullException(nameof(defaultOptions));

    protected override Task<PromptRecognizerResult<Money>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var money = options.GetValidations<MoneyOptions>() ?? DefaultOptions;
        var result = MoneyInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext), money);
        return Task.FromResult(result.Succeeded
            ? PromptRecognizerResult<Money>.Recognized(new Money(result.Amount, result.Currency), result)
            : PromptRecognizerResult<Money>.Failed(result.Outcome.ToString(), result));
    }
}
