using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace AriaBot.Session;

/// <summary>
/// Who an Aria session is bound to: one chat user in one private conversation on one channel. The user id is
/// <c>activity.From.Id</c>, which is authenticated where the activity arrived through an authenticated ingress:
/// Direct Line overwrites <c>from.id</c> with the token's user, Bot Connector channels (Teams, Slack, Azure's Web
/// Chat) are authenticated by their JWT. On Development's anonymous <c>/api/messages</c> it is whatever the caller
/// sent, which is acceptable only there.
/// </summary>
public sealed record BindingKey(string ChannelId, string ConversationId, string UserId)
{
    /// <summary>The key of this turn's user, or null when the turn must never bind (group conversation, missing ids).</summary>
    public static BindingKey? For(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return For(turnContext.Activity);
    }

    /// <inheritdoc cref="For(ITurnContext)"/>
    public static BindingKey? For(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (IsGroupConversation(activity)
            || activity.ChannelId is not { Length: > 0 } channel
            || activity.Conversation?.Id is not { Length: > 0 } conversation
            || activity.From?.Id is not { Length: > 0 } user)
        {
            return null;
        }
        return new BindingKey(channel, conversation, user);
    }

    /// <summary>
    /// True when more than one person may read or write in the conversation. It fails closed: on Teams and Slack a
    /// conversation counts as private only when the activity shows it is (a personal chat, a direct message).
    /// </summary>
    public static bool IsGroupConversation(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var conversation = activity.Conversation;
        if (conversation?.IsGroup == true)
        {
            return true;
        }
        if (conversation?.ConversationType is { Length: > 0 } type)
        {
            // Teams: personal | groupChat | channel. Anything but personal has other members.
            if (!string.Equals(type, "personal", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return activity.ChannelId switch
        {
            // Older Teams payloads omit conversationType; group chats and channels have 19:…@thread ids.
            Channels.Msteams => conversation?.ConversationType is null && conversation?.Id?.StartsWith("19:", StringComparison.Ordinal) != false,
            Channels.Slack => !IsSlackDirectMessage(activity),
            _ => false,
        };
    }

    /// <summary>
    /// Slack through Azure: <c>channelData.SlackMessage.event.channel_type</c> is <c>im</c> for a direct message
    /// (<c>channel</c>, <c>group</c>, <c>mpim</c> otherwise); without it, a direct message's channel id starts with
    /// <c>D</c> (the last part of the conversation id <c>bot:team:channel</c>).
    /// </summary>
    private static bool IsSlackDirectMessage(Activity activity)
    {
        if (activity.ChannelData is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("SlackMessage", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("event", out var slackEvent) && slackEvent.ValueKind == JsonValueKind.Object
            && slackEvent.TryGetProperty("channel_type", out var channelType) && channelType.ValueKind == JsonValueKind.String)
        {
            return channelType.GetString() == "im";
        }
        var id = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }
        var channel = id[(id.LastIndexOf(':') + 1)..];
        return channel.StartsWith('D');
    }

    /// <summary>The key's parts escaped for a storage key (Teams ids hold ':', ';' and '@'; none may hold '/').</summary>
    internal string StoragePath => $"{Escape(ChannelId)}/{Escape(ConversationId)}/{Escape(UserId)}";

    /// <summary>The conversation part only (rate limits count per conversation).</summary>
    internal string ConversationPath => $"{Escape(ChannelId)}/{Escape(ConversationId)}";

    internal static string Escape(string value) => Uri.EscapeDataString(value);
}
