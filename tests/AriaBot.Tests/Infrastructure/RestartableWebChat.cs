using System.Net;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests;

/// <summary>
/// One customer's web chat over Direct Line on a SQLite file of its own that outlives a host, for tests that kill the
/// bot mid-turn and start it again on the same file: the settings, the chat started with a portal binding, posting and
/// polling for the replies as Web Chat does, and the files (database, WAL, lock files) removed at the end.
/// </summary>
internal sealed class RestartableWebChat(string userId, string userName, string filePrefix) : IDisposable
{
    private const string DirectLine = "/v3/directline";

    public string Database { get; } = Path.Combine(Path.GetTempPath(), $"{filePrefix}-{Guid.NewGuid():N}.db");

    public Dictionary<string, string?> Settings => new()
    {
        ["State:Provider"] = "Sqlite",
        ["State:SqlitePath"] = Database,
        // Posts answer at once; the tests poll the conversation for the bot's replies, as Web Chat does.
        ["DirectLine:PostWaitTimeout"] = "00:00:00",
        // The clock stands still in these tests, so the per-minute read allowance never refills: let the polling through.
        ["DirectLine:MaxReadsPerWindow"] = "10000",
    };

    /// <summary>A token bound to <paramref name="ariaSession"/> (as the portal makes it) and its conversation, started.</summary>
    public async Task<(string Token, string ConversationId)> StartAsync(AssistantTestHost host, string ariaSession)
    {
        var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = userId, name = userName }, binding = new { ariaSessionId = ariaSession } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);
        return (token, conversationId);
    }

    /// <summary>Posts <paramref name="text"/>; returns the activity's id.</summary>
    public async Task<string> PostAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        var posted = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", token,
            new { type = "message", text, from = new { id = userId } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return (await Json(posted)).GetProperty("id").GetString()!;
    }

    public async Task<string> AskAsync(AssistantTestHost host, string token, string conversationId, string text) =>
        await RepliesToAsync(host, token, conversationId, await PostAsync(host, token, conversationId, text));

    /// <summary>What the bot said in answer to <paramref name="activityId"/>, polled from the log as Web Chat would.</summary>
    public static async Task<string> RepliesToAsync(AssistantTestHost host, string token, string conversationId, string activityId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var response = await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token);
            Assert.True(response.IsSuccessStatusCode, $"GET activities: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var replies = TextsReplyingTo(await Json(response), activityId);
            if (replies.Count > 0)
            {
                // A turn's replies are appended one by one: give the rest a moment to land.
                await Task.Delay(100);
                var set = await Json(await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token));
                return string.Join("\n", TextsReplyingTo(set, activityId));
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"The bot never answered activity {activityId}.");
    }

    private static List<string?> TextsReplyingTo(System.Text.Json.JsonElement set, string activityId) =>
        [.. set.GetProperty("activities").EnumerateArray()
            .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == activityId && a.TryGetProperty("text", out _))
            .Select(a => a.GetProperty("text").GetString())];

    public void Dispose()
    {
        foreach (var file in new[] { Database, Database + "-wal", Database + "-shm" })
        {
            File.Delete(file);
        }
        // The lock files each process held beside the database (ProcessIncarnation).
        if (Directory.Exists(Database + ".incarnations"))
        {
            Directory.Delete(Database + ".incarnations", recursive: true);
        }
    }
}
