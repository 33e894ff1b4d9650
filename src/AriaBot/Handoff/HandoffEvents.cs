using System.Text.Json;
using BotRuntime.Schema;

namespace AriaBot.Handoff;

/// <summary>The Bot Framework handoff protocol's events (docs: bot-protocol.md §5).</summary>
public static class HandoffEvents
{
    public const string InitiateName = "handoff.initiate";
    public const string StatusName = "handoff.status";

    /// <summary>
    /// <c>handoff.initiate</c> for an external hub: the context as <c>value</c>, the redacted transcript as the
    /// <c>Transcript</c> attachment. Neither carries the session binding, a sign-in link or a secret.
    /// </summary>
    public static Activity Initiate(Activity from, HandoffCase handoff)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(handoff);
        var transcript = new
        {
            activities = handoff.Transcript.Select(line => new
            {
                type = ActivityTypes.Message,
                timestamp = line.At,
                from = new { role = line.From == "customer" ? RoleTypes.User : RoleTypes.Bot },
                text = line.Text,
            }),
        };
        return new Activity
        {
            Type = ActivityTypes.Event,
            Name = InitiateName,
            Value = JsonSerializer.SerializeToElement(new
            {
                handoffId = handoff.Id,
                reason = handoff.Reason.ToString(),
                accountNo = handoff.Context.AccountNo,
                accountName = handoff.Context.AccountName,
                dialog = handoff.Context.Dialog,
                lastPreview = handoff.Context.LastPreview,
            }, BotJson.Options),
            Attachments =
            [
                new Attachment { ContentType = "application/json", Name = "Transcript", Content = JsonSerializer.SerializeToElement(transcript, BotJson.Options) },
            ],
            RelatesTo = from.GetConversationReference(),
        };
    }

    /// <summary>The <c>state</c> of a <c>handoff.status</c> value (<c>accepted</c>, <c>failed</c>, <c>completed</c>), or null.</summary>
    public static string? StateOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString()
            : null;
    }
}
