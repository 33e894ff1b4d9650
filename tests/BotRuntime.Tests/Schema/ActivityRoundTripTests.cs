using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

public sealed class ActivityRoundTripTests
{
    private static IEnumerable<string> SampleNames() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Schema", "Samples"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> Samples() => [.. SampleNames()];

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", "Samples", name));

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_channel_activity_round_trips_without_losing_anything(string sample)
    {
        var original = JsonNode.Parse(Read(sample))!;
        var activity = JsonSerializer.Deserialize<Activity>(original.ToJsonString(), BotJson.Options)!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(activity, BotJson.Options))!;
        AssertSameJson(original, written, "$");
    }

    [Fact]
    public void The_sample_set_covers_teams_slack_directline_and_the_emulator()
    {
        var channels = SampleNames().Select(name => JsonNode.Parse(Read(name))!["channelId"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "msteams", "slack", "directline", "emulator" }, channels);
    }

    [Fact]
    public void Nulls_are_omitted_and_names_are_camel_case()
    {
        var json = BotJson.Serialize(new Activity { Type = ActivityTypes.Message, Text = "hi", InputHint = InputHints.ExpectingInput, ReplyToId = null });
        Assert.Equal("""{"type":"message","text":"hi","inputHint":"expectingInput"}""", json);
    }

    [Fact]
    public void Utc_timestamps_are_written_with_z_and_local_ones_keep_their_offset()
    {
        var json = BotJson.Serialize(new Activity
        {
            Type = ActivityTypes.Message,
            Timestamp = new DateTimeOffset(2026, 11, 25, 9, 30, 0, 120, TimeSpan.Zero),
            LocalTimestamp = new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.FromHours(1)),
        });
        Assert.Contains("\"timestamp\":\"2026-11-25T09:30:00.12Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"localTimestamp\":\"2026-11-25T10:30:00+01:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Cards_and_actions_serialize_in_the_shapes_web_chat_reads()
    {
        var reply = MessageFactory.Attachment(new HeroCard { Title = "Premium", Buttons = [CardAction.ImBack("Choose", "Premium")] }.ToAttachment(), "Pick one");
        reply.SuggestedActions = new SuggestedActions { Actions = [CardAction.PostBack("No", new { action = "decline" }), CardAction.MessageBack("Details", "details", new { id = 1 }, "Show details")] };
        var node = JsonNode.Parse(BotJson.Serialize(reply))!;
        Assert.Equal(ContentTypes.HeroCard, node["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.Equal("imBack", node["attachments"]![0]!["content"]!["buttons"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("decline", node["suggestedActions"]!["actions"]![0]!["value"]!["action"]!.GetValue<string>());
        Assert.Equal("Show details", node["suggestedActions"]!["actions"]![1]!["displayText"]!.GetValue<string>());
        Assert.Equal("acceptingInput", node["inputHint"]!.GetValue<string>());
    }

    [Fact]
    public void An_adaptive_card_travels_as_the_raw_json_its_author_wrote()
    {
        const string card = """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"Total: $12.34","x-unknown":{"keep":true}}],"$schema":"http://adaptivecards.io/schemas/adaptive-card.json"}""";
        var activity = MessageFactory.Attachment(Attachment.AdaptiveCard(card));
        var content = JsonNode.Parse(BotJson.Serialize(activity))!["attachments"]![0]!["content"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(card), content));
    }

    [Fact]
    public void A_reply_is_addressed_like_the_sdk_does()
    {
        var inbound = JsonSerializer.Deserialize<Activity>(Read("teams-channel-mention.json"), BotJson.Options)!;
        var reply = inbound.CreateReply("ok");
        Assert.Equal(inbound.Id, reply.ReplyToId);
        Assert.Equal(inbound.Recipient!.Id, reply.From!.Id);
        Assert.Equal(inbound.From!.Id, reply.Recipient!.Id);
        Assert.Equal(inbound.Conversation!.Id, reply.Conversation!.Id);
        Assert.Equal(inbound.ServiceUrl, reply.ServiceUrl);
        Assert.Equal("en-GB", reply.Locale);
    }

    [Fact]
    public void A_conversation_reference_round_trips()
    {
        var inbound = JsonSerializer.Deserialize<Activity>(Read("directline-webchat-message.json"), BotJson.Options)!;
        var reference = inbound.GetConversationReference();
        var json = JsonSerializer.Serialize(reference, BotJson.Options);
        var back = JsonSerializer.Deserialize<ConversationReference>(json, BotJson.Options)!;
        Assert.Equal(inbound.Id, back.ActivityId);
        Assert.Equal("dl_7e5d3c1b", back.User!.Id);
        Assert.Equal("directline", back.ChannelId);
        var proactive = new Activity { Type = ActivityTypes.Message }.ApplyConversationReference(back);
        Assert.Equal("dl_7e5d3c1b", proactive.Recipient!.Id);
        Assert.Equal(inbound.Id, proactive.ReplyToId);
    }

    /// <summary>Deep JSON equality, except that two date-time strings denoting the same instant and offset are equal.</summary>
    private static void AssertSameJson(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual?.ToJsonString()}");
                return;
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual);
                Assert.True(expectedObject.Count == actualObject.Count,
                    $"{path}: properties differ: expected [{string.Join(",", expectedObject.Select(p => p.Key))}] got [{string.Join(",", actualObject.Select(p => p.Key))}]");
                foreach (var (name, value) in expectedObject)
                {
                    Assert.True(actualObject.ContainsKey(name), $"{path}.{name} was lost");
                    AssertSameJson(value, actualObject[name], $"{path}.{name}");
                }
                return;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.True(expectedArray.Count == actualArray.Count, $"{path}: array length {expectedArray.Count} vs {actualArray.Count}");
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSameJson(expectedArray[i], actualArray[i], $"{path}[{i}]");
                }
                return;
            default:
                if (JsonNode.DeepEquals(expected, actual))
                {
                    return;
                }
                if (expected.GetValueKind() == JsonValueKind.String && actual?.GetValueKind() == JsonValueKind.String
                    && DateTimeOffset.TryParse(expected.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var e)
                    && DateTimeOffset.TryParse(actual.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
                    && e == a && e.Offset == a.Offset)
                {
                    return;
                }
                Assert.Fail($"{path}: expected {expected.ToJsonString()} got {actual?.ToJsonString()}");
                return;
        }
    }
}
