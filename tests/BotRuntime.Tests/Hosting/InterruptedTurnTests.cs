using System.Net;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// A turn whose process died mid-turn: its delivery record stays "running" under a process incarnation that no longer
/// renews its lease. Such a turn is never run again (it may have called the back end); its redelivery, or — on a Bot
/// Connector channel with no redelivery — the start-up sweep, tells the customer instead. A turn of a live instance is
/// never taken for dead.
/// </summary>
public sealed class InterruptedTurnTests
{
    private const string DeliveryKey = "deliveries/test/c1/a1";

    /// <summary>Where an unauthenticated <c>/api/messages</c> activity's record lives (the test host posts without a token).</summary>
    private const string AnonymousDeliveryKey = "deliveries/anonymous/test/c1/a1";

    /// <summary>The delivery record a process leaves when it dies mid-turn (its lease ran out a moment ago).</summary>
    private static async Task LeaveCutOffTurnAsync(IStorage storage, string incarnation, ConversationReference? reference = null, string key = DeliveryKey)
    {
        var now = TimeProvider.System.GetUtcNow();
        await storage.WriteAsync(key, new TurnProcessor.DeliveryRecord
        {
            StartedAt = now - TimeSpan.FromSeconds(20),
            Incarnation = incarnation,
            LeaseUntil = now - TimeSpan.FromSeconds(5),
            Reference = reference,
        }, eTag: null, now + TimeSpan.FromMinutes(30));
        if (reference is not null)
        {
            await storage.WriteAsync(TurnProcessor.InFlightPrefix + key, new { deliveryKey = key }, eTag: null, now + TimeSpan.FromMinutes(30));
        }
    }

    [Fact]
    public async Task A_redelivery_whose_first_turn_died_is_answered_at_once_with_a_notice_and_never_run_again()
    {
        var storage = new MemoryStorage();
        await LeaveCutOffTurnAsync(storage, "dead-process", key: AnonymousDeliveryKey);
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<IStorage>(storage));

        var redelivered = await host.PostAsync(BotTestHost.Message("pay 50"));
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(TurnProcessor.DefaultInterruptedText, Assert.Single(await BotTestHost.RepliesAsync(redelivered)).Text);
        Assert.Equal(0, bot.Turns);

        // A further redelivery is answered the same way, and still nothing runs.
        var again = await host.PostAsync(BotTestHost.Message("pay 50"));
        Assert.Equal(TurnProcessor.DefaultInterruptedText, Assert.Single(await BotTestHost.RepliesAsync(again)).Text);
        Assert.Equal(0, bot.Turns);
        // The conversation goes on at once.
        var next = await host.PostAsync(BotTestHost.Message("balance?", id: "a2"));
        Assert.Equal("echo: balance? #1", Assert.Single(await BotTestHost.RepliesAsync(next)).Text);
    }

    [Fact]
    public async Task A_turn_of_another_live_instance_is_never_taken_over_until_that_instance_stops_renewing()
    {
        var storage = new MemoryStorage();
        await LeaveCutOffTurnAsync(storage, "other-instance", key: AnonymousDeliveryKey);
        // The other instance is alive: its heartbeat record is there (the turn's own lease has run out, as for a long turn).
        await storage.WriteAsync(ProcessIncarnation.KeyPrefix + "other-instance", new { startedAt = DateTimeOffset.UnixEpoch }, eTag: null,
            TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(5));
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, settings: new() { ["Bot:TurnQueueTimeout"] = "00:00:00.300" },
            configure: builder => builder.Services.AddSingleton<IStorage>(storage));

        var busy = await host.PostAsync(BotTestHost.Message("pay 50"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(0, bot.Turns);
        Assert.Equal("running", (await storage.ReadAsync<TurnProcessor.DeliveryRecord>(AnonymousDeliveryKey))!.Value.Status);

        // It dies: its heartbeat record is no longer renewed and expires.
        await storage.DeleteAsync(ProcessIncarnation.KeyPrefix + "other-instance");
        var redelivered = await host.PostAsync(BotTestHost.Message("pay 50"));
        Assert.Equal(TurnProcessor.DefaultInterruptedText, Assert.Single(await BotTestHost.RepliesAsync(redelivered)).Text);
        Assert.Equal(0, bot.Turns);
    }

    [Fact]
    public async Task At_start_up_a_bot_connector_conversation_is_told_through_its_trusted_service_url_and_never_through_another()
    {
        await using var channel = await StandInChannel.StartAsync();
        var storage = new MemoryStorage();
        await LeaveCutOffTurnAsync(storage, "dead-process", Reference(channel.ServiceUrl.ToString(), "c1"));
        // A serviceUrl that was never authenticated for its conversation (and is no loopback): nothing may be sent there.
        await LeaveCutOffTurnAsync(storage, "dead-process", Reference("https://attacker.example.net/", "c2"), key: "deliveries/test/c2/a1");
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot, configure: builder => builder.Services.AddSingleton<IStorage>(storage));

        // The sweep runs in the background as the host starts: wait for it to close the record.
        for (var attempt = 0; attempt < 200
            && ((await storage.ReadAsync<TurnProcessor.DeliveryRecord>(DeliveryKey))!.Value.Status != "done" || (await storage.ReadPrefixAsync(TurnProcessor.InFlightPrefix, 10)).Count > 0); attempt++)
        {
            await Task.Delay(25);
        }
        var told = Assert.Single(channel.Requests);
        Assert.Equal("/v3/conversations/c1/activities/a1", told.Path);
        Assert.Equal(TurnProcessor.DefaultInterruptedText, told.Activity!.Text);
        Assert.Equal(0, bot.Turns);
        Assert.Equal("done", (await storage.ReadAsync<TurnProcessor.DeliveryRecord>(DeliveryKey))!.Value.Status);
        // The untrusted one was left for its redelivery to answer; its marker is gone so it is not tried again.
        Assert.Equal("running", (await storage.ReadAsync<TurnProcessor.DeliveryRecord>("deliveries/test/c2/a1"))!.Value.Status);
        Assert.Empty(await storage.ReadPrefixAsync(TurnProcessor.InFlightPrefix, 10));
    }

    private static ConversationReference Reference(string serviceUrl, string conversation) => new()
    {
        ActivityId = "a1",
        ChannelId = "test",
        ServiceUrl = serviceUrl,
        Conversation = new ConversationAccount { Id = conversation },
        User = new ChannelAccount { Id = "user-1", Name = "Ana" },
        Bot = new ChannelAccount { Id = "bot", Name = "Bot" },
    };
}
