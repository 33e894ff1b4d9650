using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// Teams and Slack (through the Bot Connector) get notices proactively, recorded by a stand-in channel: once per event
/// however often Aria sends it, held by quiet hours in the customer's zone and by the daily limit (delayed, never
/// dropped), and a conversation the channel refuses for good is dropped.
/// </summary>
public sealed class ProactiveNotificationTests : RecordingChannelTests
{
    // 12:00 in Madrid (CEST): outside the default quiet hours (21:00–08:00).
    private static readonly DateTimeOffset Noon = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A signed-in personal chat on <paramref name="channelId"/> whose replies go to the stand-in, opted in from Madrid.</summary>
    private async Task<(AssistantConversation Chat, long Account)> OptInAsync(AssistantTestHost host, string channelId, string conversationId, string userId)
    {
        var chat = ChannelChat(host, channelId, conversationId, userId);
        var key = new BindingKey(channelId, conversationId, userId);
        await host.BindDirectlyAsync(key);
        var optIn = chat.Adapter.MakeActivity(OptIn);
        optIn.LocalTimezone = "Europe/Madrid";
        var said = AssistantConversation.Texts(await chat.SendAsync(optIn));
        Assert.Contains(said, text => text.Contains("I'll message you here", StringComparison.Ordinal));
        return (chat, (await host.Bindings.GetAsync(key))!.AccountNo);
    }

    [Fact]
    public async Task Teams_and_Slack_each_receive_the_notice_once_even_when_Aria_sends_the_event_twice()
    {
        await using var host = new AssistantTestHost(start: Noon);
        var (_, account) = await OptInAsync(host, Channels.Msteams, "a:personal-ana", "29:ana");
        await OptInAsync(host, Channels.Slack, "B1:T1:D1", "U1:T1");

        var xml = AriaEvents.Xml("tx-twice", account, [714]);
        await AriaEvents.PostXmlAsync(host, xml);
        await AriaEvents.SettleAsync(host);
        await AriaEvents.PostXmlAsync(host, xml);
        await AriaEvents.SettleAsync(host);

        Assert.Equal(2, Channel.Delivered.Count);
        Assert.Single(Channel.Requests, r => r.Path.Contains(Uri.EscapeDataString("a:personal-ana"), StringComparison.Ordinal) || r.Path.Contains("a:personal-ana", StringComparison.Ordinal));
        Assert.All(Channel.Delivered, notice =>
        {
            Assert.Equal(Expiring, notice.Text);
            var button = Assert.Single(notice.SuggestedActions!.Actions!);
            Assert.Equal("Update card", button.Title);
            Assert.Equal("Update payment method", button.Value!.Value.GetString());
        });
    }

    [Fact]
    public async Task Quiet_hours_in_the_customers_zone_delay_the_notice_until_they_end()
    {
        // 22:30 in Madrid: quiet until 08:00 there (06:00 UTC).
        await using var host = new AssistantTestHost(start: new DateTimeOffset(2026, 6, 1, 20, 30, 0, TimeSpan.Zero));
        var (_, account) = await OptInAsync(host, Channels.Msteams, "a:personal-ana", "29:ana");

        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-night", account, [714]));
        await AriaEvents.SettleAsync(host);
        Assert.Empty(Channel.Requests);
        Assert.Equal(1, await AriaEvents.DelayedJobsAsync(host));

        host.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 5, 59, 0, TimeSpan.Zero));
        await AriaEvents.SettleAsync(host);
        Assert.Empty(Channel.Requests);

        host.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero));
        await AriaEvents.SettleAsync(host);
        Assert.Equal(Expiring, Assert.Single(Channel.Delivered).Text);
    }

    [Fact]
    public async Task Past_the_daily_limit_a_notice_waits_for_the_next_morning_and_still_arrives()
    {
        await using var host = new AssistantTestHost(new() { ["Notifications:DailyLimit"] = "1" }, start: Noon);
        var (_, account) = await OptInAsync(host, Channels.Msteams, "a:personal-ana", "29:ana");

        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-limit-1", account, [714]));
        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-limit-2", account, [901], eventClass: "T"));
        await AriaEvents.SettleAsync(host);
        Assert.Single(Channel.Delivered);
        Assert.Equal(1, await AriaEvents.DelayedJobsAsync(host));

        // The next local day starts inside quiet hours: it goes at 08:00 Madrid (06:00 UTC).
        host.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 5, 0, 0, TimeSpan.Zero));
        await AriaEvents.SettleAsync(host);
        Assert.Single(Channel.Delivered);
        host.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero));
        await AriaEvents.SettleAsync(host);
        Assert.Equal(2, Channel.Delivered.Count);
        Assert.Contains(Channel.Delivered, notice => notice.Text == "You have a new invoice.");
    }

    [Fact]
    public async Task A_conversation_the_channel_refuses_is_dropped()
    {
        await using var host = new AssistantTestHost(start: Noon);
        var (_, account) = await OptInAsync(host, Channels.Msteams, "a:personal-ana", "29:ana");
        Channel.Status = 403;

        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-uninstalled", account, [714]));
        await AriaEvents.SettleAsync(host);

        Assert.Single(Channel.Requests);
        Assert.Empty(await host.Storage.ReadPrefixAsync("notifications/subscriptions/", 10));

        Channel.Status = 200;
        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-after-drop", account, [714]));
        await AriaEvents.SettleAsync(host);
        Assert.Single(Channel.Requests);
    }
}
