using System.Text.RegularExpressions;
using BotRuntime.Connector;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Connector;

/// <summary>
/// What an expectReplies turn answers is what the bot sent at the moment it sent it: the connector keeps a copy, because a
/// bot may go on changing its activity object, and a reply shares the incoming activity's conversation and accounts
/// (the turn context addresses it with them).
/// </summary>
public sealed class ExpectRepliesConnectorTests
{
    [Fact]
    public async Task A_reply_changed_after_it_was_sent_is_answered_as_sent()
    {
        var incoming = new Activity { Type = ActivityTypes.Message, Id = "a1", Conversation = new ConversationAccount { Id = "c1" }, From = new ChannelAccount { Id = "u1" } };
        var reply = incoming.CreateReply("first");
        reply.Conversation = incoming.Conversation;
        reply.SuggestedActions = new SuggestedActions { Actions = [CardAction.ImBack("Yes")] };
        var connector = new ExpectRepliesConnector();
        var sent = await connector.SendActivityAsync(reply, CancellationToken.None);

        reply.Text = "second";
        reply.SuggestedActions.Actions[0].Title = "No";
        incoming.Conversation.Id = "changed";

        var kept = Assert.Single(connector.Activities);
        Assert.Equal(sent.Id, kept.Id);
        Assert.Equal("first", kept.Text);
        Assert.Equal("Yes", kept.SuggestedActions!.Actions![0].Title);
        Assert.Equal("c1", kept.Conversation!.Id);
    }

    [Fact]
    public async Task An_update_keeps_a_copy_too()
    {
        var connector = new ExpectRepliesConnector();
        var reply = new Activity { Type = ActivityTypes.Message, Text = "first" };
        var id = (await connector.SendActivityAsync(reply, CancellationToken.None)).Id;
        var update = new Activity { Type = ActivityTypes.Message, Id = id, Text = "updated" };
        await connector.UpdateActivityAsync(update, CancellationToken.None);
        update.Text = "changed after";
        Assert.Equal("updated", Assert.Single(connector.Activities).Text);
    }

    [Fact]
    public async Task Replies_without_an_id_get_unique_ids_from_a_random_per_process_prefix_and_a_counter()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var connector = new ExpectRepliesConnector();
            var sent = new List<string>();
            for (var i = 0; i < 1000; i++)
            {
                sent.Add((await connector.SendActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "hi" }, CancellationToken.None)).Id!);
            }
            Assert.Equal(sent, connector.Activities.Select(reply => reply.Id));
            return sent;
        })));
        var all = ids.SelectMany(sent => sent).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        // 64 random bits per process keep instances and restarts apart; the counter needs no random read per reply.
        var prefixes = all.Select(id => Regex.Match(id, "^reply-([0-9a-f]{16})-[0-9a-f]+$")).ToList();
        Assert.All(prefixes, match => Assert.True(match.Success));
        Assert.Single(prefixes.Select(match => match.Groups[1].Value).Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_reply_that_has_an_id_keeps_it()
    {
        var connector = new ExpectRepliesConnector();
        var sent = await connector.SendActivityAsync(new Activity { Type = ActivityTypes.Message, Id = "mine" }, CancellationToken.None);
        Assert.Equal("mine", sent.Id);
    }
}
