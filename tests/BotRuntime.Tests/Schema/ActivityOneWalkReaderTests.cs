using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;
using Xunit.Abstractions;

namespace BotRuntime.Tests.Schema;

/// <summary>
/// <see cref="ActivityValidator.Read"/> checks and builds an activity in one walk (issue 22) and falls back to the
/// check and the serializer for anything the walk is unsure of. These compare it with that old path — the check, then
/// the serializer — on real channel activities and on thousands of variants of them: the same verdict, the same errors,
/// and an activity that is the same in every property, its unknown properties included.
/// </summary>
public sealed class ActivityOneWalkReaderTests(ITestOutputHelper output)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ActivityValidator.MaxDepth, AllowDuplicateProperties = false };

    private static readonly string[] Bodies =
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Schema", "Samples"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText),
        // What the bench and Direct Line post: the runtime's busiest shape.
        """{"type":"message","id":"echo-1-2","channelId":"test","serviceUrl":"http://127.0.0.1:9/","text":"echo 1-2","locale":"en-US","conversation":{"id":"echo-1"},"from":{"id":"user-1"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}""",
        """{"type":"message","text":"x","from":{"id":"u","name":"Ana","extra":{"a":[1,null]}},"conversation":{"id":"c","isGroup":false,"tenantId":"t","x-new":null},"historyDisclosed":true,"relatesTo":{"activityId":"1","user":{"id":"u"}},"semanticAction":{"id":"s","state":"start","entities":{}},"textHighlights":[{"text":"x","occurrence":1}],"listenFor":["yes"],"reactionsAdded":[{"type":"like"}],"membersAdded":[{"id":"u"}],"value":{"k":1},"expiration":"2026-12-06T10:00:00Z","somethingNew":[null],"":1}""",
    ];

    /// <summary>The old path: the check, then the serializer on the checked document.</summary>
    private static ActivityReadResult OldRead(byte[] body)
    {
        using var document = JsonDocument.Parse(body, DocumentOptions);
        var errors = ActivityValidator.Validate(document.RootElement);
        if (errors.Count > 0)
        {
            return new ActivityReadResult(null, errors);
        }
        try
        {
            return new ActivityReadResult(document.RootElement.Deserialize<Activity>(BotJson.Options), []);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return new ActivityReadResult(null, [new ActivityValidationError(exception is JsonException { Path: { Length: > 0 } path } ? path : "$", "has a value of the wrong type")]);
        }
    }

    private static bool InOneWalk(byte[] body)
    {
        using var document = JsonDocument.Parse(body, DocumentOptions);
        return ActivityValidator.TryReadInOneWalk(document.RootElement, out _);
    }

    /// <summary>Every variant: each property's value replaced, its name in another case, escaped or prefixed, an unknown one added.</summary>
    private static IEnumerable<(string Json, bool Renamed)> Variants(string json)
    {
        string[] values = ["null", "5", "1.5", "true", "\"\"", "\"  \"", "\"a\\u0007b\"", "\"two\\nlines\"", "\"\\ud800\"", "\"caf\\u00e9\"", "\"2026-12-06T10:00:00+01:00\"", "\"yesterday\"", "{}", "[]", "[null]", "[{}]", "[\"x\"]", "{\"id\":\"u\"}", "{\"id\":\"\"}", "{\"id\":5,\"name\":\"x\"}", "{\"Id\":\"u\"}", "{\"id\":\"u\",\"isGroup\":\"yes\"}"];
        var root = JsonNode.Parse(json)!.AsObject();
        foreach (var (path, parent, name) in Properties(root))
        {
            // Put in as text: a node cannot hold a lone surrogate.
            var copy = Parsed(json);
            At(copy, path)[name] = "@@value@@";
            var template = copy.ToJsonString();
            foreach (var value in values)
            {
                yield return (template.Replace("\"@@value@@\"", value, StringComparison.Ordinal), false);
            }
            if (name.Length == 0)
            {
                continue;
            }
            foreach (var renamed in new[] { char.ToUpperInvariant(name[0]) + name[1..], name.ToUpperInvariant(), "$" + name, name + "\u0131" })
            {
                copy = Parsed(json);
                var target = At(copy, path);
                var moved = target[name]?.DeepClone();
                target.Remove(name);
                target[renamed] = moved;
                yield return (copy.ToJsonString(), true);
            }
            // The same name with an escape in it: the serializer unescapes it, the walk leaves it to the serializer.
            yield return (json.Replace($"\"{name}\":", $"\"\\u{(int)name[0]:x4}{name[1..]}\":", StringComparison.Ordinal), true);
        }
        foreach (var added in new[] { "conversationKey", "properties", "Properties", "x-new", "$type", "CHANNELDATA", "from" })
        {
            foreach (var path in new[] { "", "from", "conversation" })
            {
                var copy = Parsed(json);
                if (At(copy, path) is { } target && !target.ContainsKey(added))
                {
                    target[added] = JsonNode.Parse("""{"a":[1,null]}""");
                    yield return (copy.ToJsonString(), true);
                }
            }
        }
    }

    private static JsonObject Parsed(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject At(JsonObject root, string path) =>
        path.Length == 0 ? root : root[path] as JsonObject ?? new JsonObject();

    private static IEnumerable<(string Path, JsonObject Parent, string Name)> Properties(JsonObject root)
    {
        foreach (var (name, value) in root.ToList())
        {
            yield return ("", root, name);
            if (name is "from" or "recipient" or "conversation" && value is JsonObject inner)
            {
                foreach (var innerName in inner.Select(pair => pair.Key).ToList())
                {
                    yield return (name, inner, innerName);
                }
            }
        }
    }

    private static void AssertSame(ActivityReadResult expected, ActivityReadResult actual, string json)
    {
        Assert.True(expected.IsValid == actual.IsValid, $"{(expected.IsValid ? "refused" : "accepted")}: {json}; old: {expected.Summary}");
        Assert.Equal(expected.Errors, actual.Errors);
        if (expected.Activity is { } old)
        {
            var activity = actual.Activity!;
            Assert.Equal(Written(old), Written(activity));
            Assert.Equal(Shape(old), Shape(activity));
        }
    }

    /// <summary>The activity's JSON; raw JSON kept with a lone surrogate (accepted in value or channelData) cannot be written.</summary>
    private static string Written(Activity activity)
    {
        try
        {
            return BotJson.Serialize(activity);
        }
        catch (JsonException exception)
        {
            return $"not writable at {exception.Path}";
        }
    }

    /// <summary>What serialisation cannot show: which extension data is null, and the kinds of the raw JSON kept.</summary>
    private static string Shape(Activity activity) => string.Join("|",
        Keys(activity.Properties), Keys(activity.From?.Properties), Keys(activity.Recipient?.Properties), Keys(activity.Conversation?.Properties),
        activity.ChannelData?.ValueKind, activity.Value?.ValueKind, activity.From is null, activity.Recipient is null, activity.Conversation is null);

    private static string Keys(Dictionary<string, JsonElement>? properties) =>
        properties is null ? "none" : string.Join(",", properties.Select(pair => $"{pair.Key}:{pair.Value.ValueKind}"));

    [Fact]
    public void Real_activities_are_read_in_one_walk_exactly_as_the_check_and_the_serializer_read_them()
    {
        foreach (var json in Bodies)
        {
            var body = Encoding.UTF8.GetBytes(json);
            Assert.True(InOneWalk(body), json);
            AssertSame(OldRead(body), ActivityValidator.Read(body), json);
        }
    }

    [Fact]
    public void Every_variant_gets_the_old_verdict_errors_and_activity_and_most_valid_ones_take_the_walk()
    {
        int variants = 0;
        var valid = new int[2];
        var walked = new int[2];
        foreach (var (json, renamed) in Bodies.SelectMany(Variants))
        {
            var body = Encoding.UTF8.GetBytes(json);
            ActivityReadResult old;
            try
            {
                old = OldRead(body);
            }
            catch (JsonException)
            {
                continue; // a name given twice: refused by the parser on both paths
            }
            variants++;
            AssertSame(old, ActivityValidator.Read(body), json);
            if (old.IsValid)
            {
                var kind = renamed ? 1 : 0;
                valid[kind]++;
                walked[kind] += InOneWalk(body) ? 1 : 0;
            }
        }
        output.WriteLine($"{variants} variants, {valid[0] + valid[1]} valid; in one walk: {walked[0]} of {valid[0]} values, {walked[1]} of {valid[1]} renames");
        Assert.True(variants > 3000, $"{variants} variants");
        // Values of every kind are read in one walk (but a null in value or channelData, or a lower-case "id" in an
        // account); names the serializer may read its own way (another case, an escape, "$") are mostly left to it.
        Assert.True(walked[0] > valid[0] * 9 / 10, $"{walked[0]} of {valid[0]} valid values, {walked[1]} of {valid[1]} valid renames read in one walk");
    }

    [Fact]
    public void Raw_json_kept_from_the_request_outlives_its_document()
    {
        var body = Encoding.UTF8.GetBytes(Bodies[^1]);
        var activity = ActivityValidator.Read(body).Activity!;
        Array.Clear(body);
        Assert.Equal(1, activity.Value!.Value.GetProperty("k").GetInt32());
        Assert.Equal(JsonValueKind.Array, activity.Properties!["somethingNew"].ValueKind);
        Assert.Equal(JsonValueKind.Object, activity.From!.Properties!["extra"].ValueKind);
    }
}
