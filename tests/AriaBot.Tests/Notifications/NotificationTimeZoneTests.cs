using AriaBot.Notifications.Subscriptions;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// The customer's time zone (issue 25, left over): asked once when opting in on a channel that pushes notices and did
/// not say its zone, answered with a button or free text, kept when opting in again, changed later with "change my
/// time zone", and followed by quiet hours. And the opt-in offered as a button after a completed change.
/// </summary>
public sealed class NotificationTimeZoneTests : RecordingChannelTests
{
    // 20:30 UTC: 22:30 in Madrid (quiet), 16:30 in New York (not quiet).
    private static readonly DateTimeOffset Evening = new(2026, 6, 1, 20, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Madrid", "Europe/Madrid")]
    [InlineData("  madrid. ", "Europe/Madrid")]
    [InlineData("CET", "Europe/Madrid")]
    [InlineData("Europe/Lisbon", "Europe/Lisbon")]
    [InlineData("europe/lisbon", "Europe/Lisbon")]
    [InlineData("New York", "America/New_York")]
    [InlineData("Nueva York", "America/New_York")]
    [InlineData("Canarias", "Atlantic/Canary")]
    [InlineData("Ciudad de México", "America/Mexico_City")]
    [InlineData("PST", "America/Los_Angeles")]
    [InlineData("UTC+1", "Etc/GMT-1")]
    [InlineData("gmt -5", "Etc/GMT+5")]
    [InlineData("UTC+01:00", "Etc/GMT-1")]
    [InlineData("UTC", "Etc/UTC")]
    public void A_city_a_zone_an_abbreviation_or_a_whole_hour_offset_is_recognised(string typed, string expected) =>
        Assert.Equal(expected, TimeZoneNames.Recognize(typed));

    [Theory]
    [InlineData("Atlantis")]
    [InlineData("UTC+5:30")]
    [InlineData("UTC+15")]
    [InlineData("pay my bill")]
    [InlineData("")]
    [InlineData("Europe/Nowhere")]
    public void Anything_else_is_not_a_time_zone(string typed) => Assert.Null(TimeZoneNames.Recognize(typed));

    /// <summary>The buttons' titles: suggested actions, or the hero card Teams gets them as.</summary>
    private static List<string?> Buttons(Activity reply) =>
        [.. (reply.SuggestedActions?.Actions ?? []).Concat(reply.Attachments?.Select(a => a.ContentAs<HeroCard>()).SelectMany(hero => hero?.Buttons ?? []) ?? []).Select(a => a.Title)];

    private AssistantConversation TeamsChat(AssistantTestHost host, string locale = "en-US") =>
        ChannelChat(host, Channels.Msteams, "a:personal-ana", "29:ana", locale);

    private static async Task<long> BindAsync(AssistantTestHost host)
    {
        var key = new BindingKey(Channels.Msteams, "a:personal-ana", "29:ana");
        await host.BindDirectlyAsync(key);
        return (await host.Bindings.GetAsync(key))!.AccountNo;
    }

    private static async Task<Subscription> StoredAsync(AssistantTestHost host, long account)
    {
        var stored = await host.Storage.ReadAsync<AccountSubscriptions>("notifications/subscriptions/" + account);
        return Assert.Single(stored!.Value.Items);
    }

    [Fact]
    public async Task Opting_in_without_a_zone_asks_once_and_a_tapped_zone_is_what_quiet_hours_then_follow()
    {
        await using var host = new AssistantTestHost(start: Evening);
        var account = await BindAsync(host);
        var chat = TeamsChat(host);

        var replies = await chat.SayAsync(OptIn);
        var question = Assert.Single(replies, reply => reply.Text?.Contains("Which time zone are you in?", StringComparison.Ordinal) == true);
        var titles = Buttons(question);
        Assert.Equal(["New York", "Chicago", "Denver", "Los Angeles", "London", "UTC"], titles);
        Assert.False((await StoredAsync(host, account)).TimeZoneChosen);

        var answered = AssistantConversation.Texts(await chat.SayAsync("Madrid"));
        Assert.Contains(answered, text => text.StartsWith("Got it: quiet hours now follow Europe/Madrid (UTC+02:00)", StringComparison.Ordinal));
        var subscription = await StoredAsync(host, account);
        Assert.Equal("Europe/Madrid", subscription.TimeZone);
        Assert.True(subscription.TimeZoneChosen);

        // 22:30 in Madrid: held until 08:00 there, whatever the account's country says.
        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-night", account, [714]));
        await AriaEvents.SettleAsync(host);
        Assert.Empty(Channel.Delivered);
        Assert.Equal(1, await AriaEvents.DelayedJobsAsync(host));
        host.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero));
        await AriaEvents.SettleAsync(host);
        Assert.Equal(Expiring, Assert.Single(Channel.Delivered).Text);

        // Opting in again keeps the zone and does not ask again.
        replies = await chat.SayAsync(OptIn);
        Assert.DoesNotContain(replies, reply => reply.Text?.Contains("Which time zone", StringComparison.Ordinal) == true);
        Assert.Equal("Europe/Madrid", (await StoredAsync(host, account)).TimeZone);
    }

    [Fact]
    public async Task A_zone_name_is_only_an_answer_while_the_question_waits()
    {
        await using var host = new AssistantTestHost(start: Evening);
        var account = await BindAsync(host);
        var chat = TeamsChat(host);
        await chat.SayAsync(OptIn);
        var guessed = (await StoredAsync(host, account)).TimeZone;

        // The question expires: "Madrid" is an ordinary message again and changes nothing.
        host.Time.Advance(TimeSpan.FromMinutes(31));
        var said = AssistantConversation.Texts(await chat.SayAsync("Madrid"));
        Assert.DoesNotContain(said, text => text.StartsWith("Got it", StringComparison.Ordinal));
        Assert.Equal(guessed, (await StoredAsync(host, account)).TimeZone);
    }

    [Fact]
    public async Task Change_my_time_zone_later_takes_free_text_and_an_unknown_zone_gets_a_clear_retry()
    {
        await using var host = new AssistantTestHost(start: Evening);
        var account = await BindAsync(host);
        var chat = TeamsChat(host);
        var optIn = chat.Adapter.MakeActivity(OptIn);
        optIn.LocalTimezone = "America/Chicago";
        // The channel said its zone: no question.
        Assert.DoesNotContain(AssistantConversation.Texts(await chat.SendAsync(optIn)), text => text.Contains("Which time zone", StringComparison.Ordinal));

        Assert.Contains(AssistantConversation.Texts(await chat.SayAsync("change my time zone to UTC+1")), text => text.Contains("Etc/GMT-1 (UTC+01:00)", StringComparison.Ordinal));
        Assert.Equal("Etc/GMT-1", (await StoredAsync(host, account)).TimeZone);

        var unknown = AssistantConversation.Texts(await chat.SayAsync("change my time zone to Atlantis"));
        Assert.Contains(unknown, text => text.StartsWith("I don't know that time zone.", StringComparison.Ordinal));
        Assert.Contains(unknown, text => text.Contains("Which time zone are you in?", StringComparison.Ordinal));
        Assert.DoesNotContain(unknown, text => text.Contains("Atlantis", StringComparison.Ordinal));
        Assert.Equal("Etc/GMT-1", (await StoredAsync(host, account)).TimeZone);

        await chat.SayAsync("Los Angeles");
        Assert.Equal("America/Los_Angeles", (await StoredAsync(host, account)).TimeZone);
    }

    [Fact]
    public async Task Change_my_time_zone_without_notifications_says_so_and_stores_nothing()
    {
        await using var host = new AssistantTestHost(start: Evening);
        await BindAsync(host);
        var said = AssistantConversation.Texts(await TeamsChat(host).SayAsync("Change my time zone"));
        Assert.Contains(said, text => text.Contains("don't have notifications turned on here", StringComparison.Ordinal));
        Assert.Empty(await host.Storage.ReadPrefixAsync("notifications/", 10));
    }

    [Fact]
    public async Task Spanish_question_offers_the_common_zones_for_the_locale_and_takes_Canarias()
    {
        await using var host = new AssistantTestHost(start: Evening);
        var account = await BindAsync(host);
        var chat = TeamsChat(host, "es-ES");
        var question = Assert.Single(await chat.SayAsync("Avísame de mi cuenta aquí"), reply => reply.Text?.Contains("¿En qué zona horaria estás?", StringComparison.Ordinal) == true);
        Assert.Contains("Canarias", Buttons(question));
        Assert.Contains(AssistantConversation.Texts(await chat.SayAsync("Canarias")), text => text.StartsWith("Entendido", StringComparison.Ordinal));
        Assert.Equal("Atlantic/Canary", (await StoredAsync(host, account)).TimeZone);
        Assert.Contains(AssistantConversation.Texts(await chat.SayAsync("cambia mi zona horaria a Madrid")), text => text.Contains("Europe/Madrid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Web_chat_does_not_ask_a_zone_its_held_notices_never_use()
    {
        await using var host = new AssistantTestHost(start: Evening);
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var said = AssistantConversation.Texts(await host.Conversation().SayAsync(OptIn));
        Assert.Contains(said, text => text.Contains("next time you open the chat", StringComparison.Ordinal));
        Assert.DoesNotContain(said, text => text.Contains("Which time zone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_completed_change_offers_notices_with_a_button_that_opts_in_after_the_session_check()
    {
        await using var host = new AssistantTestHost(start: Evening);
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "alice", "alice-demo-1");
        var chat = host.Conversation();

        // A preview is not a completed change: no offer yet.
        Assert.DoesNotContain(await chat.SayAsync("add 2 extra storage"), reply => reply.Text?.Contains("Want me to tell you", StringComparison.Ordinal) == true);
        var done = await chat.ClickAsync("Confirm");
        var offer = Assert.Single(done, reply => reply.Text?.StartsWith("Want me to tell you here", StringComparison.Ordinal) == true);
        // The offer's button comes first, followed by the menu the change's last message offered (Web Chat shows only
        // the newest message's buttons, so the menu must not disappear behind the offer).
        var buttons = offer.SuggestedActions!.Actions!.Select(action => action.Title).ToList();
        Assert.Equal("Tell me when this happens", buttons[0]);
        Assert.Contains("Switch my plan", buttons);
        Assert.Equal(buttons.Count, buttons.Distinct().Count());

        var before = host.Sandbox.Calls.All.Count;
        var optedIn = AssistantConversation.Texts(await chat.ClickAsync("Tell me when this happens"));
        Assert.Contains(optedIn, text => text.Contains("next time you open the chat", StringComparison.Ordinal));
        Assert.Contains("validate_session_m", host.Sandbox.Calls.All.Skip(before).Select(c => c.RestCall));
        Assert.Single(await host.Storage.ReadPrefixAsync("notifications/subscriptions/", 10));
    }

    [Fact]
    public async Task A_chat_that_already_gets_notices_is_not_offered_them_again()
    {
        await using var host = new AssistantTestHost(start: Evening);
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "alice", "alice-demo-1");
        var chat = host.Conversation();
        await chat.SayAsync(OptIn);
        await chat.SayAsync("add 2 extra storage");
        var done = await chat.ClickAsync("Confirm");
        Assert.Contains(AssistantConversation.Texts(done), text => text.Length > 0);
        Assert.DoesNotContain(done, reply => reply.Text?.StartsWith("Want me to tell you", StringComparison.Ordinal) == true);
    }
}
