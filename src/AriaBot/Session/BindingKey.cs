using System.Security.Claims;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Schema;

namespace AriaBot.Session;

/// <summary>
/// Who an Aria session is bound to: one chat user in one private conversation on one channel, as seen through one
/// ingress (<see cref="TurnIngress"/>). The user id is <c>activity.From.Id</c>, which each ingress vouches for in
/// its own way: our Direct Line overwrites <c>from.id</c> with the token's user, the Bot Connector's channels
/// (Teams, Slack, Azure's Direct Line and Web Chat) are authenticated by their JWT, and on an unauthenticated
/// <c>/api/messages</c> every id is whatever the caller sent. So the ingress is part of the key: what one ingress
/// bound never answers a turn that came through another (an anonymous caller posting a Direct Line user's
/// conversation and user ids finds nothing), and a key is only ever made from the ingress the runtime stamped on
/// the turn, never from anything in the activity.
/// </summary>
/// <param name="Ingress">
/// Defaults to <see cref="TurnIngress.Anonymous"/>, the ingress that proves the least: a key built without thinking
/// about the ingress can reach only what an unauthenticated caller could.
/// </param>
public sealed record BindingKey(string ChannelId, string ConversationId, string UserId, TurnIngress Ingress = TurnIngress.Anonymous)
{
    /// <summary>
    /// The key of this turn's user through the ingress the runtime stamped on the turn, or null when the turn must
    /// never bind: a group conversation, missing ids, a turn no ingress stamped (<see cref="TurnIngress.Unknown"/>,
    /// e.g. a proactive turn), or a Direct Line turn whose <c>from.id</c> is not its token's user.
    /// </summary>
    public static BindingKey? For(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var ingress = TurnIngresses.Of(turnContext);
        if (ingress == TurnIngress.DirectLine)
        {
            // The Direct Line ingress sets from.id to the token's user; a turn where they differ was not made by it.
            var tokenUser = turnContext.TurnState.Get<ClaimsIdentity>(ChannelAdapter.IdentityKey)?.FindFirst(DirectLineClaimTypes.User)?.Value;
            if (tokenUser is null || !string.Equals(tokenUser, turnContext.Activity.From?.Id, StringComparison.Ordinal))
            {
                return null;
            }
        }
        return For(turnContext.Activity, ingress);
    }

    /// <summary>The key of <paramref name="activity"/>'s user as seen through <paramref name="ingress"/>; see <see cref="For(ITurnContext)"/>.</summary>
    public static BindingKey? For(Activity activity, TurnIngress ingress)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (ingress == TurnIngress.Unknown
            || IsGroupConversation(activity)
            || activity.ChannelId is not { Length: > 0 } channel
            || activity.Conversation?.Id is not { Length: > 0 } conversation
            || activity.From?.Id is not { Length: > 0 } user)
        {
            return null;
        }
        return new BindingKey(channel, conversation, user, ingress);
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

    /// <summary>
    /// The key's parts escaped for a storage key (Teams ids hold ':', ';' and '@'; none may hold '/'). Our Direct Line
    /// and the Bot Connector keep the path they had before ingresses were told apart (so stored keys stay valid; the
    /// record says which of the two made it, see <see cref="SessionBinding.Ingress"/>); every other ingress gets a
    /// leading segment of its own, so its keys have one more segment and can never equal theirs, whatever ids an
    /// unauthenticated caller sends.
    /// </summary>
    internal string StoragePath => $"{IngressSegment}{Escape(ChannelId)}/{Escape(ConversationId)}/{Escape(UserId)}";

    /// <summary>The conversation part only (rate limits count per conversation, per ingress).</summary>
    internal string ConversationPath => $"{IngressSegment}{Escape(ChannelId)}/{Escape(ConversationId)}";

    private string IngressSegment => Ingress switch
    {
        TurnIngress.DirectLine or TurnIngress.BotConnector => string.Empty,
        TurnIngress.Anonymous => "~anonymous/",
        TurnIngress.SlackEvents => "~slack-events/",
        _ => "~unknown/",
    };

    internal static string Escape(string value) => Uri.EscapeDataString(value);
}
