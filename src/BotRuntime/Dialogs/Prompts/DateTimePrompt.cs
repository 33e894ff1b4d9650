using BotRuntime.Builder;
using BotRuntime.Recognition;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>
/// A date or time ("tomorrow", "next friday", "el próximo viernes", "3 March 2027"), resolved against "now" from
/// the <see cref="TimeProvider"/> in the user's time zone: the activity's <c>localTimezone</c> when the channel
/// sends one, else the offset of its <c>localTimestamp</c>, else <see cref="TimeZone"/>, else the provider's zone.
/// The result holds every reading and the <see cref="DateTimeResult.Preferred"/> one.
/// </summary>
public sealed class DateTimePrompt(string dialogId, TimeProvider timeProvider, PromptValidator<DateTimeResult>? validator = null, int version = 1)
    : Prompt<DateTimeResult>(dialogId, validator, version)
{
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>The zone for users whose channel does not say theirs. Default null: the time provider's local zone.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    protected override Task<PromptRecognizerResult<DateTimeResult>> OnRecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = DateTimeInput.Recognize(turnContext.Activity.Text, LocaleOf(turnContext), UserNow(turnContext));
        return Task.FromResult(result.Succeeded
            ? PromptRecognizerResult<DateTimeResult>.Recognized(result, result)
            : PromptRecognizerResult<DateTimeResult>.Failed("NoMatch", result));
    }

    private DateTime UserNow(ITurnContext turnContext)
    {
        var now = _timeProvider.GetUtcNow();
        var activity = turnContext.Activity;
        if (activity.LocalTimezone is { Length: > 0 } zoneId && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return TimeZoneInfo.ConvertTime(now, zone).DateTime;
        }
        if (activity.LocalTimestamp is { } local)
        {
            return now.ToOffset(local.Offset).DateTime;
        }
        return TimeZoneInfo.ConvertTime(now, TimeZone ?? _timeProvider.LocalTimeZone).DateTime;
    }
}
