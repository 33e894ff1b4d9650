using System.Globalization;
using System.Text.Json;

// Longer than 350 lines on purpose (one declarative walk over the Activity schema, each property's rule on one line in the schema's order); the Shape tests' FileSizeTests bound it.
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
public static class ActivityValidator
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

    private sealed class Walker
    {
        public List<ActivityValidationError> Errors { get; } = [];

        private bool Full => Errors.Count >= MaxErrors;

        private void Add(string path, string message)
        {
            if (!Full)
            {
                Errors.Add(new ActivityValidationError(path, message));
            }
        }

        public void Activity(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add("$", "must be a JSON object");
                return;
            }
            const string p = "$";
            String(root, p, "type", MaxShortStringLength, Text.Line);
            String(root, p, "id", MaxIdLength, Text.Line);
            String(root, p, "channelId", MaxChannelIdLength, Text.Line);
            String(root, p, "serviceUrl", MaxShortStringLength, Text.Line);
            String(root, p, "callerId", MaxShortStringLength, Text.Line);
            String(root, p, "localTimezone", MaxShortStringLength, Text.Line);
            String(root, p, "textFormat", MaxShortStringLength, Text.Line);
            String(root, p, "attachmentLayout", MaxShortStringLength, Text.Line);
            String(root, p, "topicName", MaxShortStringLength, Text.Line);
            String(root, p, "locale", MaxShortStringLength, Text.Line);
            String(root, p, "text", MaxTextLength, Text.Free);
            String(root, p, "speak", MaxTextLength, Text.Free);
            String(root, p, "summary", MaxTextLength, Text.Free);
            String(root, p, "inputHint", MaxShortStringLength, Text.Line);
            String(root, p, "action", MaxShortStringLength, Text.Line);
            String(root, p, "replyToId", MaxIdLength, Text.Line);
            String(root, p, "label", MaxShortStringLength, Text.Line);
            String(root, p, "valueType", MaxShortStringLength, Text.Line);
            String(root, p, "name", MaxShortStringLength, Text.Line);
            String(root, p, "code", MaxShortStringLength, Text.Line);
            String(root, p, "importance", MaxShortStringLength, Text.Line);
            String(root, p, "deliveryMode", MaxShortStringLength, Text.Line);
            Timestamp(root, p, "timestamp");
            Timestamp(root, p, "localTimestamp");
            Timestamp(root, p, "expiration");
            Boolean(root, p, "historyDisclosed");

            Object(root, p, "from", Account);
            Object(root, p, "recipient", Account);
            Object(root, p, "conversation", Conversation);
            Object(root, p, "relatesTo", Reference);
            Object(root, p, "suggestedActions", SuggestedActions);
            Object(root, p, "semanticAction", (element, path) =>
            {
                String(element, path, "id", MaxIdLength, Text.Line);
                String(element, path, "state", MaxShortStringLength, Text.Line);
            });

            List(root, p, "membersAdded", Member, MaxMembers);
            List(root, p, "membersRemoved", Member, MaxMembers);
            List(root, p, "reactionsAdded", Reaction);
            List(root, p, "reactionsRemoved", Reaction);
            List(root, p, "attachments", Attachment);
            List(root, p, "entities", (element, path) => String(element, path, "type", MaxShortStringLength, Text.Line));
            List(root, p, "textHighlights", (element, path) =>
            {
                String(element, path, "text", MaxTextLength, Text.Free);
                Integer(element, path, "occurrence");
            });
            StringList(root, p, "listenFor", Text.Line);
        }

        private void Account(JsonElement account, string path)
        {
            // An account that is there but names nobody is what later fails as a state key or an address.
            Id(account, path, "id", MaxIdLength, required: false);
            String(account, path, "name", MaxShortStringLength, Text.Line);
            String(account, path, "aadObjectId", MaxIdLength, Text.Line);
            String(account, path, "role", MaxShortStringLength, Text.Line);
        }

        private void Member(JsonElement member, string path)
        {
            // A member added or removed is always someone: without an id it cannot be greeted or forgotten.
            Id(member, path, "id", MaxIdLength, required: true);
            String(member, path, "name", MaxShortStringLength, Text.Line);
            String(member, path, "aadObjectId", MaxIdLength, Text.Line);
            String(member, path, "role", MaxShortStringLength, Text.Line);
        }

        private void Conversation(JsonElement conversation, string path)
        {
            Id(conversation, path, "id", MaxConversationIdLength, required: false);
            Boolean(conversation, path, "isGroup");
            String(conversation, path, "conversationType", MaxShortStringLength, Text.Line);
            String(conversation, path, "name", MaxShortStringLength, Text.Line);
            String(conversation, path, "aadObjectId", MaxIdLength, Text.Line);
            String(conversation, path, "role", MaxShortStringLength, Text.Line);
            String(conversation, path, "tenantId", MaxIdLength, Text.Line);
        }

        private void Reference(JsonElement reference, string path)
        {
            String(reference, path, "activityId", MaxIdLength, Text.Line);
            Object(reference, path, "user", Account);
            Object(reference, path, "bot", Account);
            Object(reference, path, "conversation", Conversation);
            String(reference, path, "channelId", MaxChannelIdLength, Text.Line);
            String(reference, path, "locale", MaxShortStringLength, Text.Line);
            String(reference, path, "serviceUrl", MaxShortStringLength, Text.Line);
        }

        private void SuggestedActions(JsonElement actions, string path)
        {
            StringList(actions, path, "to", Text.Line);
            List(actions, path, "actions", CardAction);
        }

        private void CardAction(JsonElement action, string path)
        {
            String(action, path, "type", MaxShortStringLength, Text.Line);
            String(action, path, "title", MaxShortStringLength, Text.Line);
            String(action, path, "image", MaxShortStringLength, Text.Line);
            String(action, path, "imageAltText", MaxShortStringLength, Text.Line);
            String(action, path, "text", MaxTextLength, Text.Free);
            String(action, path, "displayText", MaxTextLength, Text.Free);
        }

        private void Attachment(JsonElement attachment, string path)
        {
            String(attachment, path, "contentType", MaxShortStringLength, Text.Line);
            String(attachment, path, "contentUrl", MaxShortStringLength, Text.Line);
            String(attachment, path, "name", MaxShortStringLength, Text.Line);
            String(attachment, path, "thumbnailUrl", MaxShortStringLength, Text.Line);
        }

        private void Reaction(JsonElement reaction, string path) => String(reaction, path, "type", MaxShortStringLength, Text.Line);

        // ---- primitives ----

        /// <summary>A JSON string escape may name half a surrogate pair (<c>"\ud800"</c>), which .NET cannot read as a string.</summary>
        private static bool TryGetText(JsonElement value, out string text)
        {
            try
            {
                text = value.GetString()!;
                return true;
            }
            catch (InvalidOperationException)
            {
                text = "";
                return false;
            }
        }

        private static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
            parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

        private static string Child(string path, string name) => $"{path}.{name}";

        private static string Index(string path, string name, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{index}]");

        private void String(JsonElement parent, string path, string name, int maxLength, Text kind)
        {
            if (!Full && TryGet(parent, name, out var value))
            {
                CheckString(value, Child(path, name), maxLength, kind);
            }
        }

        private void CheckString(JsonElement value, string path, int maxLength, Text kind)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Add(path, "must be a string");
                return;
            }
            if (!TryGetText(value, out var text))
            {
                Add(path, "is not valid UTF-16 text (an unpaired surrogate)");
                return;
            }
            if (text.Length > maxLength)
            {
                Add(path, string.Create(CultureInfo.InvariantCulture, $"is longer than {maxLength} characters"));
                return;
            }
            foreach (var c in text)
            {
                if (IsControl(c) && !(kind == Text.Free && c is '\r' or '\n' or '\t'))
                {
                    Add(path, "contains a control character");
                    return;
                }
            }
        }

        private void Id(JsonElement parent, string path, string name, int maxLength, bool required)
        {
            if (Full)
            {
                return;
            }
            var at = Child(path, name);
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(at, "is required");
                }
                return;
            }
            if (value.ValueKind == JsonValueKind.String && TryGetText(value, out var id) && string.IsNullOrWhiteSpace(id))
            {
                Add(at, "must not be empty");
                return;
            }
            CheckString(value, at, maxLength, Text.Line);
        }

        private void Timestamp(JsonElement parent, string path, string name)
        {
            if (!Full && TryGet(parent, name, out var value)
                && (value.ValueKind != JsonValueKind.String || !TryGetText(value, out var text) || text.Length > 64
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out _)))
            {
                Add(Child(path, name), "must be an ISO-8601 date-time string");
            }
        }

        private void Boolean(JsonElement parent, string path, string name)
        {
            if (!Full && TryGet(parent, name, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Add(Child(path, name), "must be true or false");
            }
        }

        private void Integer(JsonElement parent, string path, string name)
        {
            if (!Full && TryGet(parent, name, out var value) && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _)))
            {
                Add(Child(path, name), "must be a 32-bit integer");
            }
        }

        private void Object(JsonElement parent, string path, string name, Action<JsonElement, string> check)
        {
            if (Full || !TryGet(parent, name, out var value))
            {
                return;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                Add(Child(path, name), "must be an object");
                return;
            }
            check(value, Child(path, name));
        }

        private void List(JsonElement parent, string path, string name, Action<JsonElement, string> check, int maxEntries = MaxListEntries)
        {
            if (Full || !TryGet(parent, name, out var value))
            {
                return;
            }
            if (!CheckArray(value, Child(path, name), maxEntries))
            {
                return;
            }
            var index = 0;
            foreach (var entry in value.EnumerateArray())
            {
                var at = Index(path, name, index++);
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    Add(at, entry.ValueKind == JsonValueKind.Null ? "must be an object, not null" : "must be an object");
                    continue;
                }
                check(entry, at);
            }
        }

        private void StringList(JsonElement parent, string path, string name, Text kind)
        {
            if (Full || !TryGet(parent, name, out var value) || !CheckArray(value, Child(path, name)))
            {
                return;
            }
            var index = 0;
            foreach (var entry in value.EnumerateArray())
            {
                CheckString(entry, Index(path, name, index++), MaxShortStringLength, kind);
            }
        }

        private bool CheckArray(JsonElement value, string path, int maxEntries = MaxListEntries)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                Add(path, "must be an array");
                return false;
            }
            if (value.GetArrayLength() > maxEntries)
            {
                Add(path, string.Create(CultureInfo.InvariantCulture, $"has more than {maxEntries} entries"));
                return false;
            }
            return true;
        }
    }
}
