using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

public sealed class BotStateTests
{
    private readonly MemoryStorage _storage = new(new FakeTimeProvider());
    private readonly ChannelAdapter _adapter = new([], new DefaultTurnErrorHandler(NullLogger<DefaultTurnErrorHandler>.Instance), new FakeTimeProvider());

    private static Activity Message(string conversation = "c1", string user = "u1") => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = "test",
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = user },
        Recipient = new ChannelAccount { Id = "bot" },
        Text = "hi",
    };

    private TurnContext Turn(Activity? activity = null)
    {
        var context = new TurnContext(_adapter, activity ?? Message());
        context.TurnState.Set(ChannelAdapter.ConnectorKey, new ExpectRepliesConnector());
        return context;
    }

    public sealed class Basket
    {
        public List<string> Items { get; set; } = [];
        public decimal Total { get; set; }
        public DateTimeOffset? Updated { get; set; }
    }

    [Fact]
    public async Task A_typed_property_round_trips_as_its_own_type()
    {
        var state = new ConversationState(_storage);
        var basket = state.CreateProperty<Basket>("basket");

        var first = Turn();
        var value = await basket.GetAsync(first, () => new Basket());
        value!.Items.Add("router");
        value.Total = 129.99m;
        value.Updated = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(1));
        await state.SaveChangesAsync(first);

        var second = Turn();
        var restored = await basket.GetAsync(second);
        Assert.IsType<Basket>(restored);
        Assert.Equal(["router"], restored!.Items);
        Assert.Equal(129.99m, restored.Total);
        Assert.Equal(value.Updated, restored.Updated);
        Assert.Equal(TimeSpan.FromHours(1), restored.Updated!.Value.Offset);
    }

    [Fact]
    public async Task Properties_this_code_does_not_read_survive_a_save()
    {
        var state = new ConversationState(_storage);
        var first = Turn();
        await state.CreateProperty<string>("written-by-a-newer-version").SetAsync(first, "keep me");
        await state.CreateProperty<int>("count").SetAsync(first, 1);
        await state.SaveChangesAsync(first);

        var second = Turn();
        await state.CreateProperty<int>("count").SetAsync(second, 2);
        await state.SaveChangesAsync(second);

        var third = Turn();
        Assert.Equal("keep me", await state.CreateProperty<string>("written-by-a-newer-version").GetAsync(third));
        Assert.Equal(2, await state.CreateProperty<int>("count").GetAsync(third));
    }

    [Fact]
    public async Task Two_turns_that_loaded_the_same_state_the_later_save_is_a_conflict_not_an_overwrite()
    {
        var state = new ConversationState(_storage);
        var count = state.CreateProperty<int>("count");
        var setup = Turn();
        await count.SetAsync(setup, 1);
        await state.SaveChangesAsync(setup);

        var a = Turn();
        var b = Turn();
        await count.SetAsync(a, await count.GetAsync(a) + 10);
        await count.SetAsync(b, await count.GetAsync(b) + 100);
        await state.SaveChangesAsync(a);
        await Assert.ThrowsAsync<StorageConflictException>(() => state.SaveChangesAsync(b));

        Assert.Equal(11, await count.GetAsync(Turn()));
    }

    [Fact]
    public async Task Unchanged_state_is_not_written_again()
    {
        var state = new ConversationState(_storage);
        var setup = Turn();
        await state.CreateProperty<string>("name").SetAsync(setup, "Ana");
        await state.SaveChangesAsync(setup);
        var eTag = (await _storage.ReadAsync(["test/conversations/c1"]))["test/conversations/c1"].ETag;

        var reader = Turn();
        Assert.Equal("Ana", await state.CreateProperty<string>("name").GetAsync(reader));
        await state.SaveChangesAsync(reader);
        Assert.Equal(eTag, (await _storage.ReadAsync(["test/conversations/c1"]))["test/conversations/c1"].ETag);
    }

    [Fact]
    public async Task Deleting_and_clearing_remove_what_they_should()
    {
        var state = new ConversationState(_storage);
        var name = state.CreateProperty<string>("name");
        var other = state.CreateProperty<string>("other");
        var turn = Turn();
        await name.SetAsync(turn, "Ana");
        await other.SetAsync(turn, "x");
        await state.SaveChangesAsync(turn);

        var second = Turn();
        await name.DeleteAsync(second);
        await state.SaveChangesAsync(second);
        var third = Turn();
        Assert.Null(await name.GetAsync(third));
        Assert.Equal("x", await other.GetAsync(third));

        await state.ClearStateAsync(third);
        await state.SaveChangesAsync(third);
        Assert.Null(await other.GetAsync(Turn()));
    }

    [Fact]
    public async Task Scopes_keep_conversations_and_users_apart()
    {
        var conversation = new ConversationState(_storage);
        var user = new UserState(_storage);
        var a = Turn(Message("c1", "ana"));
        await conversation.CreateProperty<string>("topic").SetAsync(a, "billing");
        await user.CreateProperty<string>("nickname").SetAsync(a, "Ana");
        await conversation.SaveChangesAsync(a);
        await user.SaveChangesAsync(a);

        var b = Turn(Message("c2", "ana"));
        Assert.Null(await conversation.CreateProperty<string>("topic").GetAsync(b));
        Assert.Equal("Ana", await user.CreateProperty<string>("nickname").GetAsync(b));
        var c = Turn(Message("c1", "ben"));
        Assert.Equal("billing", await conversation.CreateProperty<string>("topic").GetAsync(c));
        Assert.Null(await user.CreateProperty<string>("nickname").GetAsync(c));
    }

    [Fact]
    public async Task Sqlite_state_survives_a_new_storage_instance()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ariabot-state-{Guid.NewGuid():N}.db");
        try
        {
            var clock = new FakeTimeProvider();
            // Each store is disposed, as its process would close it: the first before the second opens the file.
            await using (var first = SqliteStorage.ForFile(path, clock))
            {
                var state = new ConversationState(first);
                var turn = Turn();
                (await state.CreateProperty<Basket>("basket").GetAsync(turn, () => new Basket()))!.Items.Add("headset");
                await state.SaveChangesAsync(turn);
            }

            await using var second = SqliteStorage.ForFile(path, clock);
            var restarted = new ConversationState(second);
            Assert.Equal(["headset"], (await restarted.CreateProperty<Basket>("basket").GetAsync(Turn()))!.Items);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
