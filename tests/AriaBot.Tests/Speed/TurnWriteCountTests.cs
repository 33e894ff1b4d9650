using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Speed;

/// <summary>
/// How many write transactions an ordinary AriaBot turn costs, counted with a decorator on the real host (issue 22;
/// each <c>WriteAsync</c> is one <c>BEGIN IMMEDIATE</c> on SQLite): the redelivery claim before the turn runs, then
/// one write holding the conversation state, the turn's transcript lines and its done record. It used to be one write
/// per transcript line, one for the state and one for the done record.
/// </summary>
public sealed class TurnWriteCountTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-writes-" + Guid.NewGuid().ToString("N"));
    private AssistantTestHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private AssistantTestHost Start(string provider)
    {
        var settings = new Dictionary<string, string?> { ["State:Provider"] = provider, ["State:SqlitePath"] = Path.Combine(_folder, "state.db") };
        _host = new AssistantTestHost(settings, services => services.AddCountingStorage());
        return _host;
    }

    private static async Task<ExpectedReplies> PostAsync(AssistantTestHost host, string id, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = id,
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = "writes-convo" },
            From = new ChannelAccount { Id = "writes-user" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var response = await host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        Assert.Contains(replies!.Activities, reply => reply.Type == ActivityTypes.Message && !string.IsNullOrEmpty(reply.Text));
        return replies;
    }

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task A_turn_makes_the_claim_then_one_write_with_state_transcript_and_done_record(string provider)
    {
        var host = Start(provider);
        var storage = host.Services.GetRequiredService<CountingStorage>();
        List<CountingStorage.Call> Writes() => [.. storage.Calls.Where(call => call.Kind is "write" or "delete" && call.Keys.Any(key => key.Contains("writes-convo", StringComparison.Ordinal)))];

        // The first turn changes the conversation's state (greeted, the dialog stack).
        var replies = await PostAsync(host, "w1", "hi");
        var writes = Writes();
        Assert.Equal(2, writes.Count);
        Assert.Equal(["deliveries/anonymous/webchat/writes-convo/w1"], writes[0].Keys);
        var end = writes[1].Keys;
        Assert.Contains("deliveries/anonymous/webchat/writes-convo/w1", end);
        Assert.Contains("webchat/conversations/writes-convo", end);
        // The user's line and every reply's line.
        Assert.Equal(1 + replies.Activities.Count(reply => reply.Type == ActivityTypes.Message), end.Count(key => key.StartsWith("transcripts/webchat/writes-convo/", StringComparison.Ordinal)));

        storage.Reset();
        replies = await PostAsync(host, "w2", "help");
        writes = Writes();
        Assert.Equal(2, writes.Count);
        Assert.Contains("deliveries/anonymous/webchat/writes-convo/w2", writes[1].Keys);

        // What was committed together is all there: the transcript reads back, and a redelivery of the same
        // activity is answered from the done record without running the turn again.
        var transcript = await host.Services.GetRequiredService<AriaBot.Transcripts.ITranscriptStore>().ReadAsync("webchat/writes-convo");
        Assert.Equal(["hi", "help"], transcript.Where(entry => entry.Role == RoleTypes.User).Select(entry => entry.Text));
        storage.Reset();
        var again = await PostAsync(host, "w2", "help");
        Assert.Equal(replies.Activities.Select(reply => reply.Text), again.Activities.Select(reply => reply.Text));
        // Only the claim's create-only attempt, which finds the done record: nothing of the turn is written again.
        Assert.Equal(["deliveries/anonymous/webchat/writes-convo/w2"], Assert.Single(Writes()).Keys);
    }

    [Fact]
    public async Task A_turn_whose_state_was_written_underneath_it_conflicts_and_keeps_the_other_write()
    {
        var host = Start("Sqlite");
        var storage = host.Services.GetRequiredService<IStorage>();
        const string key = "webchat/conversations/writes-convo";

        // Another writer stores the conversation's state while its first turn runs (after the turn found none).
        var counting = host.Services.GetRequiredService<CountingStorage>();
        counting.BeforeWrite = async changes =>
        {
            if (changes.ContainsKey(key) && changes.Keys.Any(k => k.StartsWith("deliveries/", StringComparison.Ordinal)))
            {
                counting.BeforeWrite = null;
                await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(System.Text.Json.JsonSerializer.SerializeToElement(new { Other = "writer" }), null) });
            }
        };
        var replies = await PostAsync(host, "c1", "hi");

        // Detected, not overwritten: the other writer's document stays, and the customer is told to try again.
        Assert.Null(counting.BeforeWrite);
        Assert.Equal("writer", (await storage.ReadAsync([key]))[key].Document.GetProperty("Other").GetString());
        Assert.Contains(replies.Activities, reply => reply.Text?.Contains("try that again", StringComparison.OrdinalIgnoreCase) == true);
        // The turn is still remembered as run: a redelivery gets the same answer and the turn does not run again.
        var again = await PostAsync(host, "c1", "hi");
        Assert.Equal(replies.Activities.Select(reply => reply.Text), again.Activities.Select(reply => reply.Text));
        Assert.Equal("writer", (await storage.ReadAsync([key]))[key].Document.GetProperty("Other").GetString());
    }
}
