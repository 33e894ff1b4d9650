using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.State;
using BotRuntime.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// Expiry and the purge (issue 22): what has expired goes, in batches (so a turn never waits behind a whole sweep),
/// what was written again with a later expiry or none stays, and conversation state kept with a retention expires
/// only after that long without a save — on the in-memory store and on SQLite alike.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class RetentionTests() : StoreKindTests("retention")
{
    private static StoreWrite Doc(int i, DateTimeOffset? expires, string? eTag = StoreWrite.AnyETag) => new(JsonSerializer.SerializeToElement(new { i }), eTag, expires);

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task The_purge_removes_exactly_what_has_expired_also_past_one_batch(string kind)
    {
        var store = Store(kind);
        var now = Clock.GetUtcNow();
        // More expired rows than one batch of either store, so the purge has to come back for the rest.
        var expiring = Enumerable.Range(0, 1_300).ToDictionary(i => $"old/{i:D5}", i => Doc(i, now + TimeSpan.FromMinutes(1)));
        await store.WriteAsync(expiring);
        await store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["kept/forever"] = Doc(1, null),
            ["kept/later"] = Doc(2, now + TimeSpan.FromDays(2)),
            // Written again before it expired: once with a later expiry, once with none.
            ["old/00001"] = Doc(3, now + TimeSpan.FromDays(2)),
            ["old/00002"] = Doc(4, null),
        });

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1_298, await store.PurgeExpiredAsync());
        var left = (await store.ReadPrefixAsync("", 10_000)).Select(pair => pair.Key).ToList();
        Assert.Equal(["kept/forever", "kept/later", "old/00001", "old/00002"], left);
        Assert.Equal(0, await store.PurgeExpiredAsync());

        Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, await store.PurgeExpiredAsync());
        Assert.Equal(["kept/forever", "old/00002"], (await store.ReadPrefixAsync("", 100)).Select(pair => pair.Key));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_item_expired_but_not_yet_purged_is_absent_and_can_be_created_again(string kind)
    {
        var store = Store(kind);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(1, Clock.GetUtcNow() + TimeSpan.FromSeconds(5), null) });
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await store.ReadAsync(["k"]));
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(2, null, null) });
        Assert.Equal(0, await store.PurgeExpiredAsync());
        Assert.Equal(2, (await store.ReadAsync(["k"]))["k"].Document.GetProperty("i").GetInt32());
    }

    [Fact]
    public async Task Conversation_state_with_a_retention_expires_only_after_that_long_without_a_save()
    {
        var storage = new MemoryStorage(Clock);
        var state = new ConversationState(storage) { Retention = TimeSpan.FromDays(30), TimeProvider = Clock };
        var counter = state.CreateProperty<int>("count");
        var adapter = new TestAdapter(new TestAdapterOptions { TimeProvider = Clock }, new AutoSaveStateMiddleware(state));
        async Task TurnAsync() => await new TestFlow(adapter, async (turn, _) =>
            await counter.SetAsync(turn, await counter.GetAsync(turn, () => 0) + 1)).Send("hi").StartTestAsync();

        await TurnAsync();
        const string key = "test/conversations/convo1";
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromDays(30), (await storage.ReadAsync([key]))[key].ExpiresAt);

        Clock.Advance(TimeSpan.FromDays(29));
        await TurnAsync();
        Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await storage.PurgeExpiredAsync());
        Assert.Equal(2, (await storage.ReadAsync([key]))[key].Document.GetProperty("count").GetInt32());

        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await storage.PurgeExpiredAsync());
        Assert.Empty(await storage.ReadAsync([key]));
    }

    [Fact]
    public async Task State_without_a_retention_is_kept()
    {
        var storage = new MemoryStorage(Clock);
        var state = new UserState(storage);
        var adapter = new TestAdapter(new TestAdapterOptions { TimeProvider = Clock }, new AutoSaveStateMiddleware(state));
        await new TestFlow(adapter, async (turn, _) => await state.CreateProperty<string>("optIn").SetAsync(turn, "yes")).Send("hi").StartTestAsync();
        Clock.Advance(TimeSpan.FromDays(3650));
        Assert.Equal(0, await storage.PurgeExpiredAsync());
        Assert.Null((await storage.ReadAsync(["test/users/user1"]))["test/users/user1"].ExpiresAt);
    }
}
