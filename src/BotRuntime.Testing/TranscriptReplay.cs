using System.Text;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.Testing;

/// <summary>Reads and writes Bot Framework <c>.transcript</c> files: UTF-8 JSON, an array of activities or <c>{"transcript":[…]}</c>.</summary>
public static class TranscriptFile
{
    public static IReadOnlyList<Activity> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path, Encoding.UTF8), Path.GetFileName(path));
    }

    public static IReadOnlyList<Activity> Parse(string json, string name = "transcript")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("transcript", out var inner))
        {
            root = inner;
        }
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{name}: a transcript is a JSON array of activities or an object with a \"transcript\" array.");
        }
        return [.. root.EnumerateArray().Select((item, i) => item.Deserialize<Activity>(BotJson.Options)
            ?? throw new FormatException($"{name}: activity #{i + 1} is null."))];
    }

    /// <summary>Writes activities as a transcript (for recording one from a <see cref="TestAdapter.Transcript"/>).</summary>
    public static void Write(string path, IEnumerable<Activity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var options = new JsonSerializerOptions(BotJson.Options) { WriteIndented = true };
        File.WriteAllText(path, JsonSerializer.Serialize(activities.ToList(), options) + "\n", new UTF8Encoding(false));
    }
}

/// <summary>
/// Replays a transcript against a bot: activities whose <c>from.role</c> is <c>bot</c> are the expected replies,
/// everything else is sent as the user. Bot activities are compared on type, text, attachments and suggested
/// actions, ignoring ids, timestamps and addressing. A missing, extra or different reply fails with the
/// activity number, the turn, the field and both values.
/// </summary>
public static class TranscriptReplay
{
    public static async Task RunAsync(TestAdapter adapter, BotCallbackHandler callback, IEnumerable<Activity> transcript, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(transcript);
        var label = name ?? "transcript";
        var activities = transcript.ToList();
        var turn = 0;
        var turnDescription = "(before the first user activity)";
        var replyInTurn = 0;
        for (var i = 0; i < activities.Count; i++)
        {
            var recorded = activities[i];
            var number = i + 1;
            if (IsBot(recorded))
            {
                replyInTurn++;
                var where = $"{label}, activity #{number} (bot reply {replyInTurn} of turn {turn}, after the user sent {turnDescription})";
                var actual = adapter.GetNextReply()
                    ?? throw new TestFlowException($"{where}: expected {ActivityComparison.Describe(recorded)}, but the bot sent nothing more");
                if (ActivityComparison.FirstDifference(recorded, actual) is { } difference)
                {
                    throw new TestFlowException($"{where}: {difference}");
                }
                continue;
            }

            if (adapter.GetNextReply() is { } extra)
            {
                throw new TestFlowException($"{label}, before activity #{number}: turn {turn} (after the user sent {turnDescription}) has an extra bot reply not in the transcript: {ActivityComparison.Describe(extra)}");
            }
            var outgoing = ForSending(recorded, adapter);
            turn++;
            replyInTurn = 0;
            turnDescription = ActivityComparison.Describe(outgoing);
            await adapter.ProcessActivityAsync(outgoing, callback).ConfigureAwait(false);
        }

        if (adapter.GetNextReply() is { } trailing)
        {
            throw new TestFlowException($"{label}, after the last activity: turn {turn} (after the user sent {turnDescription}) has an extra bot reply not in the transcript: {ActivityComparison.Describe(trailing)}");
        }
    }

    private static bool IsBot(Activity activity) => string.Equals(activity.From?.Role, RoleTypes.Bot, StringComparison.OrdinalIgnoreCase);

    /// <summary>The user side of a recorded activity, re-addressed to the test conversation.</summary>
    private static Activity ForSending(Activity recorded, TestAdapter adapter)
    {
        var copy = recorded.Clone();
        var reference = adapter.Conversation;
        if (copy.MembersAdded is not null)
        {
            copy.MembersAdded = [.. copy.MembersAdded.Select(member => Remap(member, recorded, reference))];
        }
        if (copy.MembersRemoved is not null)
        {
            copy.MembersRemoved = [.. copy.MembersRemoved.Select(member => Remap(member, recorded, reference))];
        }
        copy.Id = null;
        copy.Timestamp = null;
        copy.LocalTimestamp = null;
        copy.ChannelId = null;
        copy.ServiceUrl = null;
        copy.From = null;
        copy.Recipient = null;
        copy.Conversation = null;
        copy.ReplyToId = null;
        return copy;
    }

    private static ChannelAccount Remap(ChannelAccount member, Activity recorded, ConversationReference reference) =>
        member.Id == recorded.Recipient?.Id ? reference.Bot!
        : member.Id == recorded.From?.Id ? reference.User!
        : member;
}
