using System.Text.Json;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace AriaBot.Changes;

/// <summary>How a message answers the preview the customer was shown.</summary>
internal enum PreviewAnswer
{
    Confirm,
    Decline,

    /// <summary>A button of another (older, or someone else's) preview: whatever it says, nothing is written.</summary>
    Stale,

    Unclear,
}

/// <summary>
/// What counts as a yes to a preview (invariant 2), kept apart from <see cref="ConfirmChangeDialog"/>'s steps because it
/// is the rule every account change is held to, and the one most worth reading on its own: only a button carrying this
/// preview's id, or a message that is wholly a yes, confirms; a button of another preview is stale whatever it says;
/// "yes but 5 seats" is not a yes; any abort voids the preview.
/// </summary>
internal static class PreviewAnswers
{
    public static PreviewAnswer Interpret(Activity activity, string previewId)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String
            && action.GetString() is PreviewCard.ConfirmAction or PreviewCard.DeclineAction)
        {
            var pressed = value.TryGetProperty("previewId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (pressed != previewId)
            {
                return PreviewAnswer.Stale;
            }
            return action.GetString() == PreviewCard.ConfirmAction ? PreviewAnswer.Confirm : PreviewAnswer.Decline;
        }
        // Any abort voids the preview, even one naming a plan ("cancel premium"): invariant 2, nothing is written.
        return AriaBot.Understanding.AbortWords.LeadsWith(activity.Text, activity.Locale) ? PreviewAnswer.Decline : ConfirmInput.Recognize(activity.Text, activity.Locale, ConfirmOptions.StrictYes).Outcome switch
        {
            ConfirmOutcome.Yes => PreviewAnswer.Confirm,
            ConfirmOutcome.No => PreviewAnswer.Decline,
            _ => PreviewAnswer.Unclear,
        };
    }
}
