using System.Numerics;
using BotRuntime.Builder;
using BotRuntime.Recognition;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>
/// A number in digits or words ("3", "three", "tres", "3 seats", "2,5" in Spanish) as <typeparamref name="T"/>
/// (int, long, decimal, double…). Two different numbers ("3 or 4") and values <typeparamref name="T"/> cannot hold
/// exactly (2.5 for an int) are failed attempts, never rounded.
/// </summary>
public sealed class NumberPrompt<T>(string dialogId, PromptValidator<T>? validator = null, int version = 1)
    : Prompt<T>(dialogId, validator, version)
    where T : struct, INumber<T>
{
    protected override Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = NumberInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext));
        if (!result.Succeeded)
        {
            return Task.FromResult(PromptRecognizerResult<T>.Failed(result.Outcome.ToString(), result));
        }
        return Task.FromResult(TryConvert(result.Value, out var value)
            ? PromptRecognizerResult<T>.Recognized(value, result)
            : PromptRecognizerResult<T>.Failed("OutOfRange", result));
    }

    private static bool TryConvert(decimal number, out T value)
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(Half))
        {
            value = T.CreateChecked(number);
            return true;
        }
        // Saturate, then insist on an exact round trip: 2.5 as an int, or 3e10 as an int, is not "the" answer.
        value = T.CreateSaturating(number);
        return decimal.CreateSaturating(value) == number;
    }
}
