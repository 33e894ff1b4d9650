using System.Text.Json;
using System.Text.RegularExpressions;
using BotRuntime.Schema;

namespace BotRuntime.Teams;

/// <summary>
/// What Microsoft Teams puts in an activity (bot-protocol.md §6): the conversation type, the tenant, the bot's own
/// @mention, installation. Pure reads and one edit (the mention), so both the runtime and the assistant can use it.
/// </summary>
public static partial class TeamsActivity
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string Channel = "channel";

    /// <summary>The invoke Teams sends for an Adaptive Card <c>Action.Execute</c>.</summary>
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";

    public static bool IsTeams(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.ChannelId == Channels.Msteams;
    }

    /// <summary>
    /// True only for a one-to-one chat with the bot. Fails closed: a Teams activity that does not say
    /// <c>personal</c> counts as shared (older payloads omit the type on group conversations).
    /// </summary>
    public static bool IsPersonal(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return string.Equals(activity.Conversation?.ConversationType, Personal, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The Azure AD tenant of the conversation: <c>conversation.tenantId</c>, else <c>channelData.tenant.id</c>.</summary>
    public static string? TenantId(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!string.IsNullOrEmpty(activity.Conversation?.TenantId))
        {
            return activity.Conversation.TenantId;
        }
        return activity.ChannelData is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("tenant", out var tenant) && tenant.ValueKind == JsonValueKind.Object
            && tenant.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
    }

    /// <summary>The tenant a stored conversation belongs to (its <c>conversation.tenantId</c>).</summary>
    public static string? TenantId(ConversationReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Conversation?.TenantId;
    }

    /// <summary>A <c>conversationUpdate</c> whose <c>membersAdded</c> holds the bot itself: the app was just installed here.</summary>
    public static bool BotWasAdded(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var botId = activity.Recipient?.Id;
        return activity.IsType(ActivityTypes.ConversationUpdate) && !string.IsNullOrEmpty(botId)
            && activity.MembersAdded?.Exists(member => member.Id == botId) == true;
    }

    /// <summary>
    /// Removes the bot's own @mention from <c>text</c>: for each <c>mention</c> entity naming the recipient, its
    /// <c>text</c> (else <c>&lt;at&gt;name&lt;/at&gt;</c>), case-insensitively; then trims. Mentions of other people stay.
    /// Returns true when something was removed.
    /// </summary>
    public static bool StripBotMention(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var botId = activity.Recipient?.Id;
        if (string.IsNullOrEmpty(activity.Text) || string.IsNullOrEmpty(botId) || activity.Entities is null)
        {
            return false;
        }
        var text = activity.Text;
        foreach (var entity in activity.Entities)
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase) || entity.Properties is null
                || !entity.Properties.TryGetValue("mentioned", out var mentioned) || mentioned.ValueKind != JsonValueKind.Object
                || !mentioned.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() != botId)
            {
                continue;
            }
            var mentionText = entity.Properties.TryGetValue("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrEmpty(mentionText) && mentioned.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                mentionText = $"<at>{name.GetString()}</at>";
            }
            if (!string.IsNullOrEmpty(mentionText))
            {
                text = text.Replace(mentionText, " ", StringComparison.OrdinalIgnoreCase);
            }
        }
        text = Spaces().Replace(text, " ").Trim();
        if (text == activity.Text)
        {
            return false;
        }
        activity.Text = text;
        return true;
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
