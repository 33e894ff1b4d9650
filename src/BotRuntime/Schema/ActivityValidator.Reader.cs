using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
// The walker names its checks after the parts they check; these are the parts' types.
using AttachmentModel = BotRuntime.Schema.Attachment;
using EntityModel = BotRuntime.Schema.Entity;
using SemanticActionModel = BotRuntime.Schema.SemanticAction;
using SuggestedActionsModel = BotRuntime.Schema.SuggestedActions;
using TextHighlightModel = BotRuntime.Schema.TextHighlight;

namespace BotRuntime.Schema;

public static partial class ActivityValidator
{
    /// <summary>Longest property name the one-walk reader compares; every schema name is shorter.</summary>
    private const int MaxNameChars = 32;

    /// <summary>
    /// Checks and builds the activity in one walk over the root's properties (issue 22: looking every schema name up
    /// on the parsed body and then reading the body a second time through the serializer was 14 % of the runtime's echo
    /// turn). False whenever the walk is not sure to give what the check and the serializer give: a refused body, a name
    /// that is escaped, non-ASCII or differs from a schema name only in case (the serializer matches names ignoring case),
    /// or a <c>null</c> where the serializer has its own rules. <see cref="Read"/> then takes the old path, so refusals
    /// and their messages come from <see cref="Validate"/> as before.
    /// </summary>
    internal static bool TryReadInOneWalk(JsonElement root, [NotNullWhen(true)] out Activity? activity)
    {
        var walker = new Walker();
        activity = walker.ReadActivity(root);
        return activity is not null;
    }

    /// <summary>
    /// Every name the serializer could bind to a property of the type, ignoring case as it does: its contract's names and
    /// the type's own properties (the ignored and extension-data ones too). Built from the type, so a property added to
    /// the schema and not yet read by the walk is left to the serializer rather than kept as extension data.
    /// </summary>
    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SchemaNames(Type type) =>
        BotJson.Options.GetTypeInfo(type).Properties.Select(property => property.Name)
            .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(property => property.Name))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ActivityNames = SchemaNames(typeof(Activity));
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AccountNames = SchemaNames(typeof(ChannelAccount));
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ConversationNames = SchemaNames(typeof(ConversationAccount));

    private partial struct Walker
    {
        private readonly bool Usable => !_unsure && _errors is null;

        public Activity? ReadActivity(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var activity = new Activity();
            Span<char> name = stackalloc char[MaxNameChars];
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                var length = NameOf(property, name);
                if ((length < 0 || !ReadActivityProperty(activity, root, name[..length], value)) && Keeps(name, length, ActivityNames))
                {
                    (activity.Properties ??= [])[property.Name] = value.Clone();
                }
                if (!Usable)
                {
                    return null;
                }
            }
            return activity;
        }

        /// <summary>Reads one schema property; false when the name is not one (exactly as written).</summary>
        private bool ReadActivityProperty(Activity activity, JsonElement root, ReadOnlySpan<char> name, JsonElement value)
        {
            var isNull = value.ValueKind == JsonValueKind.Null;
            switch (name)
            {
                case "type": activity.Type = ReadText(value, "type", MaxShortStringLength, Text.Line); break;
                case "id": activity.Id = ReadText(value, "id", MaxIdLength, Text.Line); break;
                case "channelId": activity.ChannelId = ReadText(value, "channelId", MaxChannelIdLength, Text.Line); break;
                case "serviceUrl": activity.ServiceUrl = ReadText(value, "serviceUrl", MaxShortStringLength, Text.Line); break;
                case "callerId": activity.CallerId = ReadText(value, "callerId", MaxShortStringLength, Text.Line); break;
                case "localTimezone": activity.LocalTimezone = ReadText(value, "localTimezone", MaxShortStringLength, Text.Line); break;
                case "textFormat": activity.TextFormat = ReadText(value, "textFormat", MaxShortStringLength, Text.Line); break;
                case "attachmentLayout": activity.AttachmentLayout = ReadText(value, "attachmentLayout", MaxShortStringLength, Text.Line); break;
                case "topicName": activity.TopicName = ReadText(value, "topicName", MaxShortStringLength, Text.Line); break;
                case "locale": activity.Locale = ReadText(value, "locale", MaxShortStringLength, Text.Line); break;
                case "text": activity.Text = ReadText(value, "text", MaxTextLength, Text.Free); break;
                case "speak": activity.Speak = ReadText(value, "speak", MaxTextLength, Text.Free); break;
                case "summary": activity.Summary = ReadText(value, "summary", MaxTextLength, Text.Free); break;
                case "inputHint": activity.InputHint = ReadText(value, "inputHint", MaxShortStringLength, Text.Line); break;
                case "action": activity.Action = ReadText(value, "action", MaxShortStringLength, Text.Line); break;
                case "replyToId": activity.ReplyToId = ReadText(value, "replyToId", MaxIdLength, Text.Line); break;
                case "label": activity.Label = ReadText(value, "label", MaxShortStringLength, Text.Line); break;
                case "valueType": activity.ValueType = ReadText(value, "valueType", MaxShortStringLength, Text.Line); break;
                case "name": activity.Name = ReadText(value, "name", MaxShortStringLength, Text.Line); break;
                case "code": activity.Code = ReadText(value, "code", MaxShortStringLength, Text.Line); break;
                case "importance": activity.Importance = ReadText(value, "importance", MaxShortStringLength, Text.Line); break;
                case "deliveryMode": activity.DeliveryMode = ReadText(value, "deliveryMode", MaxShortStringLength, Text.Line); break;
                case "timestamp": activity.Timestamp = Instant(value, "timestamp"); break;
                case "localTimestamp": activity.LocalTimestamp = Instant(value, "localTimestamp"); break;
                case "expiration": activity.Expiration = Instant(value, "expiration"); break;
                case "historyDisclosed": activity.HistoryDisclosed = Flag(value, "historyDisclosed"); break;
                case "from": activity.From = isNull ? null : AccountAt(value, "from"); break;
                case "recipient": activity.Recipient = isNull ? null : AccountAt(value, "recipient"); break;
                case "conversation": activity.Conversation = isNull ? null : ConversationAt(value); break;
                case "channelData": activity.ChannelData = Any(value); break;
                case "value": activity.Value = Any(value); break;
                // The rarer parts: checked as before, then read by the serializer on their own.
                case "relatesTo": Object(root, "relatesTo", Reference); activity.RelatesTo = Serialized<ConversationReference>(value); break;
                case "suggestedActions": Object(root, "suggestedActions", SuggestedActions); activity.SuggestedActions = Serialized<SuggestedActionsModel>(value); break;
                case "semanticAction": Object(root, "semanticAction", SemanticAction); activity.SemanticAction = Serialized<SemanticActionModel>(value); break;
                case "membersAdded": List(root, "membersAdded", Member, MaxMembers); activity.MembersAdded = Serialized<List<ChannelAccount>>(value); break;
                case "membersRemoved": List(root, "membersRemoved", Member, MaxMembers); activity.MembersRemoved = Serialized<List<ChannelAccount>>(value); break;
                case "reactionsAdded": List(root, "reactionsAdded", Reaction); activity.ReactionsAdded = Serialized<List<MessageReaction>>(value); break;
                case "reactionsRemoved": List(root, "reactionsRemoved", Reaction); activity.ReactionsRemoved = Serialized<List<MessageReaction>>(value); break;
                case "attachments": List(root, "attachments", Attachment); activity.Attachments = Serialized<List<AttachmentModel>>(value); break;
                case "entities": List(root, "entities", Entity); activity.Entities = Serialized<List<EntityModel>>(value); break;
                case "textHighlights": List(root, "textHighlights", TextHighlight); activity.TextHighlights = Serialized<List<TextHighlightModel>>(value); break;
                case "listenFor": StringList(root, "listenFor", Text.Line); activity.ListenFor = Serialized<List<string>>(value); break;
                default: return false;
            }
            return true;
        }

        private ChannelAccount? AccountAt(JsonElement value, string name)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Add(name, -1, "must be an object");
                return null;
            }
            var account = new ChannelAccount();
            _steps[_depth++] = new Step(name, -1);
            Span<char> chars = stackalloc char[MaxNameChars];
            foreach (var property in value.EnumerateObject())
            {
                var length = NameOf(property, chars);
                var field = property.Value;
                switch (length < 0 ? default : chars[..length])
                {
                    case "id": account.Id = Identifier(field, "id", MaxIdLength); break;
                    case "name": account.Name = ReadText(field, "name", MaxShortStringLength, Text.Line); break;
                    case "aadObjectId": account.AadObjectId = ReadText(field, "aadObjectId", MaxIdLength, Text.Line); break;
                    case "role": account.Role = ReadText(field, "role", MaxShortStringLength, Text.Line); break;
                    default:
                        if (Keeps(chars, length, AccountNames))
                        {
                            (account.Properties ??= [])[property.Name] = field.Clone();
                        }
                        break;
                }
            }
            _depth--;
            return account;
        }

        private ConversationAccount? ConversationAt(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Add("conversation", -1, "must be an object");
                return null;
            }
            var conversation = new ConversationAccount();
            _steps[_depth++] = new Step("conversation", -1);
            Span<char> chars = stackalloc char[MaxNameChars];
            foreach (var property in value.EnumerateObject())
            {
                var length = NameOf(property, chars);
                var field = property.Value;
                switch (length < 0 ? default : chars[..length])
                {
                    case "id": conversation.Id = Identifier(field, "id", MaxConversationIdLength); break;
                    case "isGroup": conversation.IsGroup = Flag(field, "isGroup"); break;
                    case "conversationType": conversation.ConversationType = ReadText(field, "conversationType", MaxShortStringLength, Text.Line); break;
                    case "name": conversation.Name = ReadText(field, "name", MaxShortStringLength, Text.Line); break;
                    case "aadObjectId": conversation.AadObjectId = ReadText(field, "aadObjectId", MaxIdLength, Text.Line); break;
                    case "role": conversation.Role = ReadText(field, "role", MaxShortStringLength, Text.Line); break;
                    case "tenantId": conversation.TenantId = ReadText(field, "tenantId", MaxIdLength, Text.Line); break;
                    default:
                        if (Keeps(chars, length, ConversationNames))
                        {
                            (conversation.Properties ??= [])[property.Name] = field.Clone();
                        }
                        break;
                }
            }
            _depth--;
            return conversation;
        }

        /// <summary>A checked string, read once it passed; null for a JSON null, as the serializer reads it.</summary>
        private string? ReadText(JsonElement value, string name, int maxLength, Text kind)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            CheckString(value, name, -1, maxLength, kind);
            return Usable ? value.GetString() : null;
        }

        private string? Identifier(JsonElement value, string name, int maxLength)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            CheckId(value, name, maxLength);
            return Usable ? value.GetString() : null;
        }

        private DateTimeOffset? Instant(JsonElement value, string name)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (TryTimestamp(value, out var instant))
            {
                return instant;
            }
            Add(name, -1, "must be an ISO-8601 date-time string");
            return null;
        }

        /// <summary>Any JSON (value, channelData), kept past the request's document as the serializer keeps it.</summary>
        private JsonElement? Any(JsonElement value)
        {
            // What the serializer makes of a JSON null here is its own affair.
            _unsure |= value.ValueKind == JsonValueKind.Null;
            return value.Clone();
        }

        private T? Serialized<T>(JsonElement value) where T : class
        {
            if (!Usable || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            try
            {
                return value.Deserialize<T>(BotJson.Options);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
            {
                _unsure = true;
                return null;
            }
        }

        /// <summary>
        /// True when a property the walk did not read belongs in the type's extension data. A name the serializer could
        /// still bind to a property (another case of it) or treat otherwise (escaped, non-ASCII, <c>$</c> metadata) is
        /// left to the old path.
        /// </summary>
        private bool Keeps(ReadOnlySpan<char> name, int length, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> schema)
        {
            if (length == -1 || (length >= 0 && schema.Contains(name[..length])))
            {
                _unsure = true;
                return false;
            }
            return true;
        }

        /// <summary>
        /// The property's name in <paramref name="chars"/>: its length; -2 for a plain ASCII name too long to be a schema
        /// name; -1 for a name the walk does not judge (escaped, not ASCII, or a <c>$</c> name).
        /// </summary>
        private static int NameOf(JsonProperty property, Span<char> chars)
        {
            var utf8 = JsonMarshal.GetRawUtf8PropertyName(property);
            if (utf8.Contains((byte)'\\') || !Ascii.IsValid(utf8) || utf8 is [(byte)'$', ..])
            {
                return -1;
            }
            if (utf8.Length > chars.Length)
            {
                return -2;
            }
            Ascii.ToUtf16(utf8, chars, out var written);
            return written;
        }
    }
}
