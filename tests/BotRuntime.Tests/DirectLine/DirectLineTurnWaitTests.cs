using System.Net;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// A post waits (bounded by <c>PostWaitTimeout</c>) for its turn without reading its own inbox entry (issue 22): the
/// drain tells it, also when the entry is gone because someone else ran it — as another instance sharing the inbox on
/// PostgreSQL does. Before, such a post sat out the whole timeout.
/// </summary>
public sealed class DirectLineTurnWaitTests
{
    private const string Base = "/v3/directline";

    [Fact]
    public async Task A_post_whose_turn_someone_else_ran_is_answered_without_sitting_out_the_wait()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot, new()
        {
            ["DirectLine:PostWaitTimeout"] = "00:01:00",
            ["Bot:TurnQueueTimeout"] = "00:00:00.300",
        });
        var (conversationId, token, _) = await host.StartConversationAsync();
        var store = host.App.Services.GetRequiredService<DirectLineStore>();
        var locks = host.App.Services.GetRequiredService<ConversationLocks>();

        // Another instance is running a turn of this conversation: the drain here finds it busy and tries again shortly.
        var key = new Activity { ChannelId = Channels.DirectLine, Conversation = new ConversationAccount { Id = conversationId } }.ConversationKey;
        await using var lease = await locks.TryAcquireAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.NotNull(lease);
        var messagesBefore = bot.Messages;
        var posting = host.SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/activities", token,
            new { type = "message", from = new { id = "someone" }, text = "ran elsewhere" });

        // ... and then runs the queued post itself (its entry leaves the shared inbox).
        (long Seq, DirectLineInboxItem Item)? queued = null;
        for (var i = 0; i < 600 && queued is not { Item.Activity.Text: "ran elsewhere" }; i++)
        {
            queued = await store.NextInboxAsync(conversationId, CancellationToken.None);
            await Task.Delay(50);
        }
        Assert.Equal("ran elsewhere", queued?.Item.Activity.Text);
        await store.CompleteInboxAsync(conversationId, queued!.Value.Seq, CancellationToken.None);

        // Answered once the drain here finds the entry gone, well inside the minute it would otherwise wait.
        using var posted = await posting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(messagesBefore, bot.Messages);
    }
}
