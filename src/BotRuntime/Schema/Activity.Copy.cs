using System.Text.Json;

namespace BotRuntime.Schema;

public sealed partial class Activity
{
    /// <summary>
    /// A deep copy: no object, list or dictionary is shared with this activity, so changing the copy (or this activity)
    /// never shows in the other. Used per reply (the expectReplies and Direct Line connectors keep what was sent even if
    /// the bot goes on changing its object, and replies share the incoming activity's accounts until then).
    /// </summary>
    /// <remarks>
    /// Field by field rather than a JSON round trip, which cost ~4 % of an AriaBot turn (issue 22). The copy serialises
    /// exactly as the original: <c>ActivityCopyTests</c> fills every property of every schema type by reflection, so a
    /// property added to the schema and not copied here fails that test. JSON values (<c>value</c>, <c>channelData</c>,
    /// attachment content, extension data) are immutable; <see cref="JsonElement.Clone"/> only copies one whose
    /// document could still be disposed under it, and otherwise returns it as is.
    /// </remarks>
    public Activity Clone() => new()
    {
        Type = Type,
        Id = Id,
        Timestamp = Timestamp,
        LocalTimestamp = LocalTimestamp,
        LocalTimezone = LocalTimezone,
        CallerId = CallerId,
        ServiceUrl = ServiceUrl,
        ChannelId = ChannelId,
        From = SchemaCopy.Of(From),
        Conversation = SchemaCopy.Of(Conversation),
        Recipient = SchemaCopy.Of(Recipient),
        TextFormat = TextFormat,
        AttachmentLayout = AttachmentLayout,
        MembersAdded = SchemaCopy.Of(MembersAdded, SchemaCopy.Member),
        MembersRemoved = SchemaCopy.Of(MembersRemoved, SchemaCopy.Member),
        ReactionsAdded = SchemaCopy.Of(ReactionsAdded, SchemaCopy.Of),
        ReactionsRemoved = SchemaCopy.Of(ReactionsRemoved, SchemaCopy.Of),
        TopicName = TopicName,
        HistoryDisclosed = HistoryDisclosed,
        Locale = Locale,
        Text = Text,
        Speak = Speak,
        InputHint = InputHint,
        Summary = Summary,
        SuggestedActions = SchemaCopy.Of(SuggestedActions),
        Attachments = SchemaCopy.Of(Attachments, SchemaCopy.Of),
        Entities = SchemaCopy.Of(Entities, SchemaCopy.Of),
        ChannelData = SchemaCopy.Of(ChannelData),
        Action = Action,
        ReplyToId = ReplyToId,
        Label = Label,
        ValueType = ValueType,
        Value = SchemaCopy.Of(Value),
        Name = Name,
        RelatesTo = SchemaCopy.Of(RelatesTo),
        Code = Code,
        Expiration = Expiration,
        Importance = Importance,
        DeliveryMode = DeliveryMode,
        ListenFor = ListenFor is null ? null : [.. ListenFor],
        TextHighlights = SchemaCopy.Of(TextHighlights, SchemaCopy.Of),
        SemanticAction = SchemaCopy.Of(SemanticAction),
        Properties = SchemaCopy.Of(Properties),
    };
}

/// <summary>Deep copies of the schema's parts, for <see cref="Activity.Clone"/>; null stays null.</summary>
internal static class SchemaCopy
{
    public static List<T>? Of<T>(List<T>? list, Func<T, T> copy) where T : class
    {
        if (list is null)
        {
            return null;
        }
        var result = new List<T>(list.Count);
        foreach (var item in list)
        {
            // A null entry stays null (the validator keeps them out of incoming activities; a bot's own list may hold one).
            result.Add(item is null ? null! : copy(item));
        }
        return result;
    }

    public static JsonElement? Of(JsonElement? value) => value?.Clone();

    public static Dictionary<string, JsonElement>? Of(Dictionary<string, JsonElement>? properties)
    {
        if (properties is null)
        {
            return null;
        }
        var result = new Dictionary<string, JsonElement>(properties.Count, properties.Comparer);
        foreach (var (name, value) in properties)
        {
            result[name] = value.Clone();
        }
        return result;
    }

    public static ChannelAccount Member(ChannelAccount account) => Of(account)!;

    public static ChannelAccount? Of(ChannelAccount? account) => account is null ? null : new()
    {
        Id = account.Id,
        Name = account.Name,
        AadObjectId = account.AadObjectId,
        Role = account.Role,
        Properties = Of(account.Properties),
    };

    public static ConversationAccount? Of(ConversationAccount? conversation) => conversation is null ? null : new()
    {
        IsGroup = conversation.IsGroup,
        ConversationType = conversation.ConversationType,
        Id = conversation.Id,
        Name = conversation.Name,
        AadObjectId = conversation.AadObjectId,
        Role = conversation.Role,
        TenantId = conversation.TenantId,
        Properties = Of(conversation.Properties),
    };

    public static ConversationReference? Of(ConversationReference? reference) => reference is null ? null : new()
    {
        ActivityId = reference.ActivityId,
        User = Of(reference.User),
        Bot = Of(reference.Bot),
        Conversation = Of(reference.Conversation),
        ChannelId = reference.ChannelId,
        Locale = reference.Locale,
        ServiceUrl = reference.ServiceUrl,
        Properties = Of(reference.Properties),
    };

    public static MessageReaction Of(MessageReaction reaction) => new() { Type = reaction.Type };

    public static TextHighlight Of(TextHighlight highlight) => new() { Text = highlight.Text, Occurrence = highlight.Occurrence };

    public static SemanticAction? Of(SemanticAction? action) => action is null ? null : new()
    {
        Id = action.Id,
        State = action.State,
        Entities = Of(action.Entities),
    };

    public static SuggestedActions? Of(SuggestedActions? actions) => actions is null ? null : new()
    {
        To = actions.To is null ? null : [.. actions.To],
        Actions = Of(actions.Actions, Of),
    };

    // A read-only action cannot change, in the original or in the copy: it is shared rather than copied.
    public static CardAction Of(CardAction action) => action.IsReadOnly ? action : new()
    {
        Type = action.Type,
        Title = action.Title,
        Image = action.Image,
        ImageAltText = action.ImageAltText,
        Text = action.Text,
        DisplayText = action.DisplayText,
        Value = Of(action.Value),
        ChannelData = Of(action.ChannelData),
        Properties = Of(action.Properties),
    };

    public static Attachment Of(Attachment attachment) => new()
    {
        ContentType = attachment.ContentType,
        ContentUrl = attachment.ContentUrl,
        Content = Of(attachment.Content),
        Name = attachment.Name,
        ThumbnailUrl = attachment.ThumbnailUrl,
        Properties = Of(attachment.Properties),
    };

    public static Entity Of(Entity entity) => new() { Type = entity.Type, Properties = Of(entity.Properties) };
}
