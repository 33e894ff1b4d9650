using System.Globalization;
using System.Text.Json;

namespace BotRuntime.Schema;

/// <summary>One thing wrong with an incoming activity: where (a JSON path such as <c>$.attachments[0]</c>) and what.</summary>
public sealed record ActivityValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>What <see cref="ActivityValidator.Read"/> made of a body: the activity, or why there is none.</summary>
public sealed record ActivityReadResult(Activity? Activity, IReadOnlyList<ActivityValidationError> Errors)
{
    public bool IsValid => Activity is not null && Errors.Count == 0;

    /// <summary>The errors as one sentence for an error body; never quotes a value the client sent.</summary>
    public string Summary => string.Join("; ", Errors.Select(error => error.ToString()));
}

/// <summary>
/// The one check every ingress (<c>/api/messages</c>, Direct Line posts) runs on an activity before anything else
/// reads it. The deserializer alone accepts shapes the rest of the runtime never expects — <c>attachments: [null]</c>,
/// a member without an id, an id carrying CR/LF or an ANSI escape into a log line, a 100 000-entry list — and code far
/// from the edge then fails after the bot has already answered. Here such a body is refused with a 400 that names the
/// JSON path, so the rest of the runtime may rely on: no null list entries, ids that are short, non-empty printable
/// strings, and bounded sizes. Properties the schema does not model (and <c>value</c> / <c>channelData</c>) may hold
/// any JSON, bounded only by the nesting limit and the body size limit.
/// </summary>
public static partial class ActivityValidator
{
    /// <summary>Deepest JSON nesting accepted anywhere in the body (real cards nest far less).</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest <c>text</c>, <c>speak</c> or <c>summary</c>, in characters (Teams' own message limit is ~28 KB).</summary>
    public const int MaxTextLength = 32 * 1024;

    /// <summary>Most entries in any list of the schema (attachments, entities, members, actions, reactions…).</summary>
    public const int MaxListEntries = 64;

    /// <summary>
    /// Most entries in <c>membersAdded</c> / <c>membersRemoved</c>: a channel may announce a batch of people joining a
    /// team at once, so these lists get more room than the others.
    /// </summary>
    public const int MaxMembers = 512;

    /// <summary>Longest account, activity or member id.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest <c>channelId</c>.</summary>
    public const int MaxChannelIdLength = 64;

    /// <summary>Longest <c>conversation.id</c> (Teams thread ids with a message id run to ~300 characters).</summary>
    public const int MaxConversationIdLength = 1024;

    /// <summary>Longest of any other string the schema names (names, urls, content types, locales…).</summary>
    public const int MaxShortStringLength = 2048;

    /// <summary>At most this many errors are reported; the first few are enough to fix a client.</summary>
    private const int MaxErrors = 10;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        // Otherwise this check could read one "attachments" and the deserializer another.
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses, checks and deserializes <paramref name="body"/>; never throws for anything a client sends.</summary>
    public static ActivityReadResult Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            // The parser's message may quote the body: say only where it stopped.
            return Fail("$", string.Create(CultureInfo.InvariantCulture,
                $"not valid JSON, or nested deeper than {MaxDepth} levels (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})"));
        }
        using (document)
        {
            if (TryReadInOneWalk(document.RootElement, out var read))
            {
                return new ActivityReadResult(read, []);
            }
            var errors = Validate(document.RootElement);
            if (errors.Count > 0)
            {
                return new ActivityReadResult(null, errors);
            }
            try
            {
                var activity = document.RootElement.Deserialize<Activity>(BotJson.Options);
                return activity is null ? Fail("$", "must be a JSON object") : new ActivityReadResult(activity, []);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
            {
                return Fail(exception is JsonException { Path: { Length: > 0 } path } ? path : "$", "has a value of the wrong type");
            }
        }
    }

    /// <summary>Checks an activity's JSON; an empty list means it may be deserialized and handed to a bot.</summary>
    public static IReadOnlyList<ActivityValidationError> Validate(JsonElement activity)
    {
        var walker = new Walker();
        walker.Activity(activity);
        return walker.Errors;
    }

    private static ActivityReadResult Fail(string path, string message) => new(null, [new ActivityValidationError(path, message)]);

    /// <summary>True for C0 controls, DEL and C1 controls: what turns a value into a forged log line or a terminal escape.</summary>
    public static bool IsControl(char c) => c < 0x20 || c is >= '\u007f' and <= '\u009f';

    private enum Text
    {
        /// <summary>An identifier, a name or a title: one line, no control character at all.</summary>
        Line,

        /// <summary>What a person wrote: line breaks and tabs are fine, other control characters are not.</summary>
        Free,
    }

    /// <summary>
    /// The schema, property by property in its order; the checks themselves are in ActivityValidator.Walker.cs. The
    /// nested checks are static methods (their delegates are cached) taking the walker by reference, so checking a valid
    /// activity allocates nothing: the JSON path of an error is built only when there is one (issue 22).
    /// </summary>
    private partial struct Walker
    {
        public void Activity(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add(null, -1, "must be a JSON object");
                return;
            }
            String(root, "type", MaxShortStringLength, Text.Line);
            String(root, "id", MaxIdLength, Text.Line);
            String(root, "channelId", MaxChannelIdLength, Text.Line);
            String(root, "serviceUrl", MaxShortStringLength, Text.Line);
            String(root, "callerId", MaxShortStringLength, Text.Line);
            String(root, "localTimezone", MaxShortStringLength, Text.Line);
            String(root, "textFormat", MaxShortStringLength, Text.Line);
            String(root, "attachmentLayout", MaxShortStringLength, Text.Line);
            String(root, "topicName", MaxShortStringLength, Text.Line);
            String(root, "locale", MaxShortStringLength, Text.Line);
            String(root, "text", MaxTextLength, Text.Free);
            String(root, "speak", MaxTextLength, Text.Free);
            String(root, "summary", MaxTextLength, Text.Free);
            String(root, "inputHint", MaxShortStringLength, Text.Line);
            String(root, "action", MaxShortStringLength, Text.Line);
            String(root, "replyToId", MaxIdLength, Text.Line);
            String(root, "label", MaxShortStringLength, Text.Line);
            String(root, "valueType", MaxShortStringLength, Text.Line);
            String(root, "name", MaxShortStringLength, Text.Line);
            String(root, "code", MaxShortStringLength, Text.Line);
            String(root, "importance", MaxShortStringLength, Text.Line);
            String(root, "deliveryMode", MaxShortStringLength, Text.Line);
            Timestamp(root, "timestamp");
            Timestamp(root, "localTimestamp");
            Timestamp(root, "expiration");
            Boolean(root, "historyDisclosed");

            Object(root, "from", Account);
            Object(root, "recipient", Account);
            Object(root, "conversation", Conversation);
            Object(root, "relatesTo", Reference);
            Object(root, "suggestedActions", SuggestedActions);
            Object(root, "semanticAction", SemanticAction);

            List(root, "membersAdded", Member, MaxMembers);
            List(root, "membersRemoved", Member, MaxMembers);
            List(root, "reactionsAdded", Reaction);
            List(root, "reactionsRemoved", Reaction);
            List(root, "attachments", Attachment);
            List(root, "entities", Entity);
            List(root, "textHighlights", TextHighlight);
            StringList(root, "listenFor", Text.Line);
        }

        private static void SemanticAction(ref Walker walker, JsonElement action)
        {
            walker.String(action, "id", MaxIdLength, Text.Line);
            walker.String(action, "state", MaxShortStringLength, Text.Line);
        }

        private static void Entity(ref Walker walker, JsonElement entity) => walker.String(entity, "type", MaxShortStringLength, Text.Line);

        private static void TextHighlight(ref Walker walker, JsonElement highlight)
        {
            walker.String(highlight, "text", MaxTextLength, Text.Free);
            walker.Integer(highlight, "occurrence");
        }

        private static void Account(ref Walker walker, JsonElement account)
        {
            // An account that is there but names nobody is what later fails as a state key or an address.
            walker.Id(account, "id", MaxIdLength, required: false);
            walker.String(account, "name", MaxShortStringLength, Text.Line);
            walker.String(account, "aadObjectId", MaxIdLength, Text.Line);
            walker.String(account, "role", MaxShortStringLength, Text.Line);
        }

        private static void Member(ref Walker walker, JsonElement member)
        {
            // A member added or removed is always someone: without an id it cannot be greeted or forgotten.
            walker.Id(member, "id", MaxIdLength, required: true);
            walker.String(member, "name", MaxShortStringLength, Text.Line);
            walker.String(member, "aadObjectId", MaxIdLength, Text.Line);
            walker.String(member, "role", MaxShortStringLength, Text.Line);
        }

        private static void Conversation(ref Walker walker, JsonElement conversation)
        {
            walker.Id(conversation, "id", MaxConversationIdLength, required: false);
            walker.Boolean(conversation, "isGroup");
            walker.String(conversation, "conversationType", MaxShortStringLength, Text.Line);
            walker.String(conversation, "name", MaxShortStringLength, Text.Line);
            walker.String(conversation, "aadObjectId", MaxIdLength, Text.Line);
            walker.String(conversation, "role", MaxShortStringLength, Text.Line);
            walker.String(conversation, "tenantId", MaxIdLength, Text.Line);
        }

        private static void Reference(ref Walker walker, JsonElement reference)
        {
            walker.String(reference, "activityId", MaxIdLength, Text.Line);
            walker.Object(reference, "user", Account);
            walker.Object(reference, "bot", Account);
            walker.Object(reference, "conversation", Conversation);
            walker.String(reference, "channelId", MaxChannelIdLength, Text.Line);
            walker.String(reference, "locale", MaxShortStringLength, Text.Line);
            walker.String(reference, "serviceUrl", MaxShortStringLength, Text.Line);
        }

        private static void SuggestedActions(ref Walker walker, JsonElement actions)
        {
            walker.StringList(actions, "to", Text.Line);
            walker.List(actions, "actions", CardAction);
        }

        private static void CardAction(ref Walker walker, JsonElement action)
        {
            walker.String(action, "type", MaxShortStringLength, Text.Line);
            walker.String(action, "title", MaxShortStringLength, Text.Line);
            walker.String(action, "image", MaxShortStringLength, Text.Line);
            walker.String(action, "imageAltText", MaxShortStringLength, Text.Line);
            walker.String(action, "text", MaxTextLength, Text.Free);
            walker.String(action, "displayText", MaxTextLength, Text.Free);
        }

        private static void Attachment(ref Walker walker, JsonElement attachment)
        {
            walker.String(attachment, "contentType", MaxShortStringLength, Text.Line);
            walker.String(attachment, "contentUrl", MaxShortStringLength, Text.Line);
            walker.String(attachment, "name", MaxShortStringLength, Text.Line);
            walker.String(attachment, "thumbnailUrl", MaxShortStringLength, Text.Line);
        }

        private static void Reaction(ref Walker walker, JsonElement reaction) => walker.String(reaction, "type", MaxShortStringLength, Text.Line);
    }
}
