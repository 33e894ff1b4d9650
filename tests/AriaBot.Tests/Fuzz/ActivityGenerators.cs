using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace AriaBot.Tests.Fuzz;

/// <summary>A body to post and what the generator meant by it.</summary>
public sealed record FuzzBody(string Kind, byte[] Bytes)
{
    /// <summary>Built to be a well-formed activity: must be answered 2xx.</summary>
    public bool MeantValid => Kind == "valid";

    public string Text => Encoding.UTF8.GetString(Bytes);

    public override string ToString() => $"{Kind}: {(Text.Length > 600 ? Text[..600] + $"… ({Bytes.Length} bytes)" : Text)}";
}

/// <summary>
/// FsCheck generators for what a client might post as an activity: well-formed activities, well-formed ones with one
/// or more parts mangled (nulls in lists, wrong types, odd and huge strings, control characters, deep nesting, lone
/// surrogates), JSON that is not an object, and bytes that are not JSON at all.
/// </summary>
public static class ActivityGenerators
{
    private static readonly string[] Lists = ["attachments", "entities", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved", "textHighlights", "listenFor"];

    private static readonly string[] Properties =
    [
        "type", "id", "timestamp", "localTimestamp", "localTimezone", "callerId", "serviceUrl", "channelId", "from", "conversation", "recipient",
        "textFormat", "attachmentLayout", "topicName", "historyDisclosed", "locale", "text", "speak", "inputHint", "summary", "suggestedActions",
        "channelData", "action", "replyToId", "label", "valueType", "value", "name", "relatesTo", "code", "expiration", "importance",
        "deliveryMode", "semanticAction", "somethingUnknown", .. Lists,
    ];

    private static readonly string[] Types = ["message", "conversationUpdate", "event", "typing", "endOfConversation", "messageReaction", "installationUpdate", "invoke", "trace", "handoff", "delete", "Message", ""];

    private static readonly string[] Words =
    [
        "hello", "hi", "help", "menu", "cancel", "agent", "yes", "no", "pay my balance", "switch my plan", "show my statements", "order",
        "sign in", "reset my password", "my card is 4111 1111 1111 1111", "change units to 5", "cancel my plan", "update my address", "restart",
    ];

    /// <summary>Characters that break things: controls (C0, DEL, C1), line separators, bidi overrides, quotes, emoji halves, NUL.</summary>
    private static readonly char[] OddChars =
    [
        '\0', '\a', '\b', '\t', '\n', '\v', '\f', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\u2066',
        '"', '\\', '/', '<', '>', '&', '\'', '{', '}', '[', ']', '%', '$', '\ud83d', '\udcb3', '\ufeff', '\uffff', 'é', 'ß', '中', ' ',
    ];

    private static Gen<char> Char =>
        Gen.Frequency((6, Gen.Choose(0x20, 0x7e).Select(c => (char)c)), (3, Gen.Elements(OddChars)), (1, Gen.Choose(0, 0xffff).Select(c => (char)c)));

    /// <summary>Odd strings: words, random characters, a lone escape, a forged log line, very long ones.</summary>
    public static Gen<string> OddString =>
        Gen.Frequency(
            (4, Gen.Elements(Words)),
            (5, Char.ArrayOf().Select(chars => new string(chars))),
            (1, Gen.Elements("", " ", "\r\n[12:00:00 WRN] forged", "\u001b[31mred\u001b[0m", "null", "undefined", "NaN", "2026-13-45T99:99:99Z", "../../etc/passwd")),
            (1, Gen.Choose(1_000, 70_000).Select(length => new string('x', length))));

    /// <summary>Any JSON value, nested at most <paramref name="depth"/> deep.</summary>
    public static Gen<JsonNode?> Value(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Choose(int.MinValue, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create(n)),
            Gen.Elements(0.5, -0.0, 1e308, -1e-308, 9007199254740993d).Select(n => (JsonNode?)JsonValue.Create(n)),
            OddString.Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth <= 0)
        {
            return scalar;
        }
        return Gen.Frequency(
            (5, scalar),
            (1, Value(depth - 1).ListOf(4).Select(items => (JsonNode?)new JsonArray([.. items]))),
            (1, Pair(Gen.Elements([.. Properties, "id", "type", "contentType", "title"]), Value(depth - 1)).ListOf(4).Select(Object)));
    }

    private static Gen<(string Name, JsonNode? Value)> Pair(Gen<string> names, Gen<JsonNode?> values) =>
        from name in names from value in values select (name, value);

    private static Action<JsonObject> Set(string name, JsonNode? value) => activity => activity[name] = value;

    private static JsonNode? Object(IEnumerable<(string Name, JsonNode? Value)> pairs)
    {
        var result = new JsonObject();
        foreach (var (name, value) in pairs)
        {
            result[name] = value;
        }
        return result;
    }

    /// <summary>A list whose entries are sometimes null, sometimes scalars, sometimes (odd) objects.</summary>
    private static Gen<JsonNode?> OddList =>
        Gen.Frequency(
            (3, Gen.Constant<JsonNode?>(null)),
            (2, Value(2)),
            (2, Pair(Gen.Elements("id", "type", "contentType", "name", "title"), Value(1)).ListOf(3).Select(Object)))
        .ListOf().Select(items => (JsonNode?)new JsonArray([.. items]));

    private static JsonNode Deep(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["v"] = node };
        }
        return node;
    }

    /// <summary>A well-formed message (or member update) in <paramref name="conversationId"/>.</summary>
    public static Gen<JsonObject> ValidActivity(string channelId, string conversationId) =>
        from text in Gen.OneOf(Gen.Elements(Words), Gen.Choose(0x20, 0x7e).Select(c => (char)c).ArrayOf().Select(chars => new string(chars)))
        from user in Gen.Choose(1, 3)
        from id in Gen.Choose(1, int.MaxValue)
        from withAttachment in Gen.Elements(false, false, true)
        from update in Gen.Elements(false, false, false, true)
        select Activity(channelId, conversationId, $"fuzz-{id}", $"user-{user}", update ? null : text, withAttachment, update);

    private static JsonObject Activity(string channelId, string conversationId, string id, string user, string? text, bool withAttachment, bool update)
    {
        var activity = new JsonObject
        {
            ["type"] = update ? "conversationUpdate" : "message",
            ["id"] = id,
            ["channelId"] = channelId,
            ["serviceUrl"] = "https://channel.example.com/",
            ["from"] = new JsonObject { ["id"] = user, ["name"] = "Fuzz" },
            ["recipient"] = new JsonObject { ["id"] = "bot", ["name"] = "Bot" },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["locale"] = "en-US",
            ["deliveryMode"] = "expectReplies",
        };
        if (update)
        {
            activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = user });
        }
        else
        {
            activity["text"] = text;
        }
        if (withAttachment)
        {
            activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "text/plain", ["content"] = "hi" });
            activity["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US" });
        }
        return activity;
    }

    /// <summary>One change to an activity: a property set to any value, a list full of odd entries, a property removed.</summary>
    private static Gen<Action<JsonObject>> Mutation =>
        Gen.Frequency(
            (4, from name in Gen.Elements(Properties) from value in Value(3) select Set(name, value)),
            (3, from name in Gen.Elements(Lists) from list in OddList select Set(name, list)),
            (2, from account in Gen.Elements("from", "recipient", "conversation")
                from name in Gen.Elements("id", "name", "isGroup", "role", "aadObjectId")
                from value in Value(1)
                select Set(account, new JsonObject { [name] = value })),
            (1, OddList.Select<JsonNode?, Action<JsonObject>>(list => activity => activity["suggestedActions"] = new JsonObject { ["actions"] = list })),
            (1, Gen.Elements(Types).Select<string, Action<JsonObject>>(type => activity => activity["type"] = type)),
            (1, Gen.Elements(Properties).Select<string, Action<JsonObject>>(name => activity => activity.Remove(name))),
            (1, Gen.Choose(20, 70).Select<int, Action<JsonObject>>(depth => activity => activity["value"] = Deep(depth))));

    /// <summary>Every kind of body, weighted towards activities that are almost right (they reach deepest).</summary>
    public static Gen<FuzzBody> Body(string channelId, string conversationId) =>
        Gen.Frequency(
            (3, ValidActivity(channelId, conversationId).Select(activity => new FuzzBody("valid", Utf8(activity)))),
            (8, from activity in ValidActivity(channelId, conversationId)
                from mutations in Mutation.NonEmptyListOf()
                select new FuzzBody("mutated", Utf8(Apply(activity, mutations)))),
            (1, Value(3).Select(value => new FuzzBody("not an object", Encoding.UTF8.GetBytes(value?.ToJsonString() ?? "null")))),
            (1, Gen.Elements("", "{", "}", "{\"type\":", "[", "{\"type\":\"message\",}", "{'type':'message'}", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "{\"text\":\"\\ud800\"}", "{\"type\":\"message\",\"type\":\"event\"}")
                .Select(text => new FuzzBody("garbage", Encoding.UTF8.GetBytes(text)))),
            (1, Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(bytes => new FuzzBody("bytes", bytes))));

    private static JsonObject Apply(JsonObject activity, IEnumerable<Action<JsonObject>> mutations)
    {
        foreach (var mutate in mutations)
        {
            mutate(activity);
        }
        return activity;
    }

    private static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary>The cases for one run: the same seed always gives the same bodies.</summary>
    public static FuzzBody[] Sample(Gen<FuzzBody> generator, ulong seed, int count) =>
        Gen.Sample(generator, count, new Rnd(seed, 0x9E3779B97F4A7C15UL), 30);
}
