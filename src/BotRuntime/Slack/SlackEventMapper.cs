using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotRuntime.Schema;

namespace BotRuntime.Slack;

/// <summary>An event or click worth a turn: the activity, the id retries share, and where replies go.</summary>
public sealed record SlackIncoming(Activity Activity, string DedupeId, string TeamId, string Channel, string? ThreadTs);

/// <summary>
/// Turns Slack's Events API and interactivity payloads into activities, the way the Bot Framework's Slack adapter
/// maps them: a message's conversation is its channel (prefixed with the workspace), its id the event's <c>ts</c>,
/// its sender the Slack user. What must never start a turn is dropped here: the bot's own and other bots' messages
/// (loops), edits and deletions (an edited "yes" never confirms), and plain channel chatter (in channels the bot
/// answers mentions only).
/// </summary>
public static partial class SlackEventMapper
{
    /// <summary>The conversation id of a Slack channel seen through this ingress (<c>{team}:{channel}</c>).</summary>
    public static string ConversationId(string teamId, string channel) => $"{teamId}:{channel}";

    /// <summary>An <c>event_callback</c>; null when it starts no turn.</summary>
    public static SlackIncoming? FromEvent(JsonElement payload)
    {
        var team = Str(payload, "team_id");
        var appId = Str(payload, "api_app_id");
        var eventId = Str(payload, "event_id");
        if (team is null || eventId is null || !payload.TryGetProperty("event", out var slackEvent) || slackEvent.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var type = Str(slackEvent, "type");
        var channelType = Str(slackEvent, "channel_type");
        if (Str(slackEvent, "subtype") is not null || Str(slackEvent, "bot_id") is not null || slackEvent.TryGetProperty("bot_profile", out _))
        {
            // message_changed, message_deleted, bot_message, joins…: none is a customer saying something new.
            return null;
        }
        var isDirect = type == "message" && channelType == "im";
        if (!isDirect && type != "app_mention")
        {
            return null;
        }
        var user = Str(slackEvent, "user");
        var channel = Str(slackEvent, "channel");
        var ts = Str(slackEvent, "ts");
        if (user is null || channel is null || ts is null)
        {
            return null;
        }
        var threadTs = Str(slackEvent, "thread_ts");
        var text = Unescape(MentionPattern().Replace(Str(slackEvent, "text") ?? string.Empty, string.Empty)).Trim();
        DateTimeOffset? timestamp = payload.TryGetProperty("event_time", out var time) && time.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        var activity = NewActivity(team, appId, user, channel, isDirect ? "im" : channelType ?? "channel", threadTs);
        activity.Id = ts;
        activity.Text = text;
        activity.Timestamp = timestamp;
        return new SlackIncoming(activity, $"event/{eventId}", team, channel, threadTs);
    }

    /// <summary>A <c>block_actions</c> click on one of our buttons; null for anything else (link buttons, modals, shortcuts).</summary>
    public static SlackIncoming? FromInteraction(JsonElement payload)
    {
        if (Str(payload, "type") != "block_actions"
            || !payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0)
        {
            return null;
        }
        var action = actions[0];
        var team = payload.TryGetProperty("team", out var teamObject) ? Str(teamObject, "id") : null;
        var user = payload.TryGetProperty("user", out var userObject) ? Str(userObject, "id") : null;
        var channel = payload.TryGetProperty("channel", out var channelObject) ? Str(channelObject, "id") : null;
        var actionTs = Str(action, "action_ts");
        if (team is null || user is null || channel is null || actionTs is null || !SlackButtonValue.TryRead(Str(action, "value"), out var text, out var value))
        {
            return null;
        }
        string? threadTs = null;
        if (payload.TryGetProperty("container", out var container))
        {
            threadTs = Str(container, "thread_ts");
        }
        if (threadTs is null && payload.TryGetProperty("message", out var message))
        {
            threadTs = Str(message, "thread_ts");
        }
        // Interactivity carries no channel_type: a direct message's channel id starts with D.
        var activity = NewActivity(team, Str(payload, "api_app_id"), user, channel, channel.StartsWith('D') ? "im" : "channel", threadTs);
        activity.Id = $"action-{actionTs}";
        activity.Text = text;
        activity.Value = value;
        return new SlackIncoming(activity, $"action/{team}/{user}/{actionTs}", team, channel, threadTs);
    }

    private static Activity NewActivity(string team, string? appId, string user, string channel, string channelType, string? threadTs)
    {
        // The Azure channel's channelData shape (SlackMessage.event.channel_type tells a DM), without the message text:
        // what a customer typed lives only in activity.text, which the redactors know.
        var slackEvent = new JsonObject { ["channel"] = channel, ["channel_type"] = channelType, ["user"] = user };
        if (threadTs is not null)
        {
            slackEvent["thread_ts"] = threadTs;
        }
        var channelData = new JsonObject { ["SlackMessage"] = new JsonObject { ["team_id"] = team, ["api_app_id"] = appId, ["event"] = slackEvent } };
        return new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = Channels.Slack,
            From = new ChannelAccount { Id = $"{user}:{team}", Role = RoleTypes.User },
            Recipient = new ChannelAccount { Id = appId ?? "slack-app", Role = RoleTypes.Bot },
            Conversation = new ConversationAccount { Id = ConversationId(team, channel), IsGroup = channelType != "im" },
            ChannelData = JsonSerializer.SerializeToElement(channelData),
        };
    }

    /// <summary>Slack escapes exactly &amp;, &lt; and &gt; in message text.</summary>
    private static string Unescape(string text) => text.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(text) : text;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text : null;

    /// <summary>A user mention (<c>&lt;@U123&gt;</c> or <c>&lt;@U123|name&gt;</c>): the bot's own, in an app_mention.</summary>
    [GeneratedRegex(@"<@[A-Z0-9]+(\|[^>]*)?>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MentionPattern();
}
