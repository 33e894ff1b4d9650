using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace AriaBot.Tests.Session;

/// <summary>Which conversations may bind a session: private ones only, failing closed where the channel does not say.</summary>
public sealed class BindingKeyTests
{
    [Fact]
    public void A_private_conversation_gets_a_key_of_channel_conversation_and_user()
    {
        var key = BindingKey.For(Message(Channels.Webchat, new ConversationAccount { Id = "c1" }, "dl_abc"), TurnIngress.Anonymous);
        Assert.Equal(new BindingKey(Channels.Webchat, "c1", "dl_abc"), key);
    }

    [Theory]
    [InlineData(Channels.Msteams, "personal", null, "a:1XyZ-personal-chat", true)]
    [InlineData(Channels.Msteams, "groupChat", null, "19:abc@thread.v2", false)]
    [InlineData(Channels.Msteams, "channel", true, "19:c0ffee@thread.tacv2;messageid=1", false)]
    [InlineData(Channels.Msteams, null, null, "19:abc@thread.v2", false)]
    [InlineData(Channels.Msteams, null, null, "a:1XyZ-personal-chat", true)]
    [InlineData(Channels.DirectLine, null, true, "c1", false)]
    [InlineData(Channels.DirectLine, null, false, "c1", true)]
    [InlineData(Channels.Emulator, null, null, "c1", true)]
    [InlineData(Channels.Webchat, "groupChat", null, "c1", false)]
    public void Teams_and_others(string channel, string? conversationType, bool? isGroup, string conversationId, bool binds)
    {
        var activity = Message(channel, new ConversationAccount { Id = conversationId, ConversationType = conversationType, IsGroup = isGroup }, "29:user");
        Assert.Equal(binds, BindingKey.For(activity, TurnIngress.Anonymous) is not null);
        Assert.Equal(!binds, BindingKey.IsGroupConversation(activity));
    }

    [Theory]
    [InlineData("im", "B0BB0B0B0:T0A1B2C3D:D0DDDDDDD", true)]
    [InlineData("channel", "B0BB0B0B0:T0A1B2C3D:C0CCCCCCC", false)]
    [InlineData("group", "B0BB0B0B0:T0A1B2C3D:G0GGGGGGG", false)]
    [InlineData("mpim", "B0BB0B0B0:T0A1B2C3D:G0GGGGGGG", false)]
    [InlineData(null, "B0BB0B0B0:T0A1B2C3D:D0DDDDDDD", true)]
    [InlineData(null, "B0BB0B0B0:T0A1B2C3D:C0CCCCCCC", false)]
    [InlineData(null, "D0DDDDDDD", true)]
    public void Slack_binds_only_in_direct_messages(string? channelType, string conversationId, bool binds)
    {
        var activity = Message(Channels.Slack, new ConversationAccount { Id = conversationId, IsGroup = false }, "U024BE7LH:T0A1B2C3D");
        if (channelType is not null)
        {
            activity.ChannelData = JsonSerializer.SerializeToElement(new { SlackMessage = new { @event = new { channel_type = channelType } } });
        }
        Assert.Equal(binds, BindingKey.For(activity, TurnIngress.Anonymous) is not null);
    }

    [Fact]
    public void Missing_ids_never_bind()
    {
        Assert.Null(BindingKey.For(Message(Channels.Webchat, new ConversationAccount { Id = "c1" }, ""), TurnIngress.Anonymous));
        Assert.Null(BindingKey.For(Message(Channels.Webchat, new ConversationAccount(), "u1"), TurnIngress.Anonymous));
        Assert.Null(BindingKey.For(Message("", new ConversationAccount { Id = "c1" }, "u1"), TurnIngress.Anonymous));
        var noFrom = Message(Channels.Webchat, new ConversationAccount { Id = "c1" }, "u1");
        noFrom.From = null;
        Assert.Null(BindingKey.For(noFrom, TurnIngress.Anonymous));
    }

    [Fact]
    public void Storage_paths_escape_what_channels_put_in_ids()
    {
        var key = new BindingKey(Channels.Msteams, "a:1/b;c@d", "29:x/y", TurnIngress.BotConnector);
        Assert.Equal("msteams/a%3A1%2Fb%3Bc%40d/29%3Ax%2Fy", key.StoragePath);
        Assert.Equal(2, key.StoragePath.Count(c => c == '/'));
    }

    [Fact]
    public void An_unauthenticated_callers_keys_can_never_equal_an_authenticated_ingresss_whatever_ids_it_sends()
    {
        var directLine = new BindingKey(Channels.DirectLine, "conv-1", "dl_ana", TurnIngress.DirectLine);
        Assert.Equal("directline/conv-1/dl_ana", directLine.StoragePath);
        // Ids that try to spell the other key's path are escaped, and the extra segment keeps the paths apart.
        foreach (var (channel, conversation) in new[] { (Channels.DirectLine, "conv-1"), ("~anonymous", "directline/conv-1"), ("", "") })
        {
            var anonymous = new BindingKey(channel, conversation, "dl_ana");
            Assert.Equal(TurnIngress.Anonymous, anonymous.Ingress);
            Assert.NotEqual(directLine.StoragePath, anonymous.StoragePath);
            Assert.StartsWith("~anonymous/", anonymous.StoragePath, StringComparison.Ordinal);
            Assert.Equal(3, anonymous.StoragePath.Count(c => c == '/'));
        }
        Assert.NotEqual(directLine.ConversationPath, new BindingKey(Channels.DirectLine, "conv-1", "dl_ana").ConversationPath);
    }

    [Fact]
    public void A_turn_no_ingress_stamped_never_gets_a_key()
    {
        var activity = Message(Channels.DirectLine, new ConversationAccount { Id = "c1" }, "dl_abc");
        Assert.Null(BindingKey.For(activity, TurnIngress.Unknown));
        Assert.Equal(TurnIngress.DirectLine, BindingKey.For(activity, TurnIngress.DirectLine)!.Ingress);
    }

    private static Activity Message(string channel, ConversationAccount conversation, string userId) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = channel,
        Conversation = conversation,
        From = new ChannelAccount { Id = userId },
        Text = "hi",
    };
}
