using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// Two round trips fewer per Direct Line turn (issue 22), and what they must not change. The inbox entry ends in the
/// write that stores the turn's done record, not in a delete of its own: whether the turn succeeded or failed, the entry
/// is gone once its turn ran, so a restart never resumes it. A poll reads the log's next entries together with the
/// conversation record: the page and its watermark are the same as reading them apart, also when the new activities do
/// not fit in what was read ahead.
/// </summary>
public sealed class DirectLineInboxAndPollTests
{
    [Theory]
    [InlineData("hello")]
    [InlineData("fail")]
    public async Task A_turns_inbox_entry_is_gone_once_the_turn_ran_whether_it_succeeded_or_failed(string text)
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        var store = host.App.Services.GetRequiredService<DirectLineStore>();

        var id = await host.PostAsync(conversationId, token, text);
        var seq = DirectLineStore.SeqOf(conversationId, id)!.Value;
        // The post waits for its turn; a failing turn is still a turn that ran (and is never run again).
        Assert.Contains(bot.Received, activity => activity.Text == text);
        for (var i = 0; i < 100 && await store.IsQueuedAsync(conversationId, seq, CancellationToken.None); i++)
        {
            await Task.Delay(20);
        }
        Assert.False(await store.IsQueuedAsync(conversationId, seq, CancellationToken.None));
        Assert.Null(await store.NextInboxAsync(conversationId, CancellationToken.None));
        Assert.DoesNotContain(conversationId, await store.ConversationsWithInboxAsync(CancellationToken.None));

        // The conversation goes on: the next post runs (nothing stale blocks the inbox), and the failed one is not run again.
        await host.PostAsync(conversationId, token, "after");
        Assert.Single(bot.Received, activity => activity.Text == text);
        Assert.Single(bot.Received, activity => activity.Text == "after");
    }

    [Fact]
    public async Task A_poll_answers_the_same_page_and_watermark_whether_or_not_the_new_activities_fit_in_its_read_ahead()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        // Each post logs its echo and the bot's reply: 2 × 10 activities after the welcome, more than one read-ahead holds.
        for (var i = 0; i < 10; i++)
        {
            await host.PostAsync(conversationId, token, $"m{i}");
        }
        var store = host.App.Services.GetRequiredService<DirectLineStore>();
        var (whole, last) = await store.ReadSinceAsync(conversationId, 0, CancellationToken.None);
        Assert.True(whole.Count > DirectLineStore.PollReadAhead, $"only {whole.Count} activities logged");

        foreach (var from in new long[] { 0, 1, last - DirectLineStore.PollReadAhead - 3, last - DirectLineStore.PollReadAhead, last - 2, last })
        {
            var (expected, expectedWatermark) = await store.ReadSinceAsync(conversationId, from, CancellationToken.None);
            var (page, watermark) = await host.GetAsync(conversationId, token, from.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected.Select(activity => activity.Id), page.Select(activity => activity.Id));
            Assert.Equal(DirectLineStreams.Format(expectedWatermark), watermark);
        }
        // Read by a client page by page from nothing: every activity once, in the log's order.
        var seen = new List<string?>();
        var mark = "0";
        for (var i = 0; i < 50; i++)
        {
            var (page, next) = await host.GetAsync(conversationId, token, mark);
            seen.AddRange(page.Select(activity => activity.Id));
            if (next == mark)
            {
                break;
            }
            mark = next;
        }
        Assert.Equal(whole.Select(activity => activity.Id), seen);
    }
}
