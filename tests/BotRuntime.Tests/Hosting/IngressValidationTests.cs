using System.Net;
using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using BotRuntime.Tests.DirectLine;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// Finding 5: <c>attachments: [null]</c> or <c>membersAdded: [null]</c> was accepted by both ingresses and broke code
/// far from the edge after the bot had answered. Now both refuse it before any turn, naming the JSON path.
/// </summary>
public sealed class IngressValidationTests
{
    [Theory]
    [InlineData("attachments", "$.attachments[0]")]
    [InlineData("membersAdded", "$.membersAdded[0]")]
    [InlineData("entities", "$.entities[0]")]
    public async Task Api_messages_refuses_a_null_list_entry_with_a_400_naming_the_path_and_runs_no_turn(string list, string path)
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = JsonSerializer.SerializeToNode(BotTestHost.Message("hello"), BotJson.Options)!.AsObject();
        activity[list] = new System.Text.Json.Nodes.JsonArray((System.Text.Json.Nodes.JsonNode?)null);

        var response = await host.PostRawAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(path, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(path, problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Empty(bot.Received);
    }

    [Fact]
    public async Task Api_messages_refuses_a_channel_id_with_line_breaks_or_escapes()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message("hello");
        activity.ChannelId = "test\r\n[12:00:00 WRN] forged \u001b[31m";

        var response = await host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.channelId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(bot.Received);
    }

    [Fact]
    public async Task Api_messages_still_answers_a_well_formed_activity()
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot());
        var response = await host.PostAsync(BotTestHost.Message("hello"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"message","text":"hi","attachments":[null]}""", "$.attachments[0]")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[null]}""", "$.membersAdded[0]")]
    [InlineData("""{"type":"message","text":"hi","suggestedActions":{"actions":[null]}}""", "$.suggestedActions.actions[0]")]
    [InlineData("""{"type":"message","text":"hi","from":{"id":"x","name":"a\r\nb"}}""", "$.from.name")]
    public async Task A_direct_line_post_with_a_bad_activity_is_a_400_naming_the_path_and_never_reaches_the_log_or_the_bot(string body, string path)
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        var before = bot.Received.Count;

        var response = await host.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities", token, rawBody: body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await DirectLineTestHost.JsonAsync(response)).GetProperty("error");
        Assert.Equal(DirectLineErrors.BadArgument, error.GetProperty("code").GetString());
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, bot.Received.Count);
        var (activities, _) = await host.GetAsync(conversationId, token);
        Assert.DoesNotContain(activities, activity => activity.From?.Role == RoleTypes.User && activity.IsType(ActivityTypes.Message));

        // The conversation goes on.
        await host.PostAsync(conversationId, token, "still here");
        await host.WaitForAsync(conversationId, token, all => all.Any(a => a.Text?.StartsWith("echo: still here", StringComparison.Ordinal) == true));
    }
}
