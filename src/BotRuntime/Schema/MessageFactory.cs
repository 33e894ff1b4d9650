namespace BotRuntime.Schema;

/// <summary>Builds outgoing messages the way Bot Framework developers know from <c>MessageFactory</c>.</summary>
public static class MessageFactory
{
    public static Activity Text(string text, string? speak = null, string? inputHint = null) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Speak = speak,
        InputHint = inputHint ?? InputHints.AcceptingInput,
    };

    public static Activity SuggestedActions(IEnumerable<CardAction> actions, string? text = null, string? inputHint = null, IEnumerable<string>? to = null)
    {
        var activity = Text(text ?? string.Empty, inputHint: inputHint);
        activity.Text = text;
        activity.SuggestedActions = new SuggestedActions { Actions = [.. actions], To = to?.ToList() };
        return activity;
    }

    /// <summary>Suggested actions as imBack buttons, one per title.</summary>
    public static Activity SuggestedActions(IEnumerable<string> titles, string? text = null, string? inputHint = null) =>
        SuggestedActions(titles.Select(title => CardAction.ImBack(title)), text, inputHint);

    public static Activity Attachment(Attachment attachment, string? text = null, string? inputHint = null) =>
        Attachments([attachment], text, AttachmentLayoutTypes.List, inputHint);

    public static Activity Carousel(IEnumerable<Attachment> attachments, string? text = null, string? inputHint = null) =>
        Attachments(attachments, text, AttachmentLayoutTypes.Carousel, inputHint);

    private static Activity Attachments(IEnumerable<Attachment> attachments, string? text, string layout, string? inputHint) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Attachments = [.. attachments],
        AttachmentLayout = layout,
        InputHint = inputHint ?? InputHints.AcceptingInput,
    };

    public static Activity Typing() => new() { Type = ActivityTypes.Typing };

    public static Activity Event(string name, object? value = null) => new()
    {
        Type = ActivityTypes.Event,
        Name = name,
        Value = value is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(value, BotJson.Options),
    };
}
