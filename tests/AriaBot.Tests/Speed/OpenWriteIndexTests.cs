using System.Text.Json;
using AriaBot.Changes;
using BotRuntime.Builder;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Speed;

/// <summary>
/// The conversation's index of open write records (issue 22): a turn whose state proves there is no open record
/// skips the prefix read, the index is written in the same storage write as the record (invariant 3: a crash between
/// two writes can never hide an open record), and a conversation saved before the index existed is still settled.
/// </summary>
public sealed class OpenWriteIndexTests
{
    private const string StateKey = "test/conversations/convo1";
    private const string Markers = "intents-open/test/convo1/";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage _memory;
    private readonly CountingStorage _storage;
    private readonly StorageWriteLedger _ledger;

    public OpenWriteIndexTests()
    {
        _memory = new MemoryStorage(_clock);
        _storage = new CountingStorage(_memory);
        _ledger = new StorageWriteLedger(_storage, _clock);
    }

    private WriteIntent Intent(string id) => new()
    {
        Id = id,
        Kind = "replacePlan",
        AccountNo = 1001,
        ConversationKey = "test/convo1",
        CreatedAt = _clock.GetUtcNow(),
        Description = "switch from Standard to Premium",
    };

    /// <summary>One turn through a test adapter; <paramref name="save"/> false plays a process that died before the end-of-turn save.</summary>
    private async Task TurnAsync(Func<ITurnContext, Task> body, bool save = true)
    {
        var adapter = new TestAdapter(new TestAdapterOptions { TimeProvider = _clock });
        if (save)
        {
            adapter.Use(new AutoSaveStateMiddleware(new ConversationState(_storage)));
        }
        await new TestFlow(adapter, async (turn, _) => await body(turn)).Send("hi").StartTestAsync();
    }

    private async Task<JsonElement?> StoredIndexAsync()
    {
        var items = await _memory.ReadAsync([StateKey]);
        return items.TryGetValue(StateKey, out var item) && item.Document.TryGetProperty(StorageWriteLedger.OpenIndexProperty, out var index) ? index : null;
    }

    [Fact]
    public async Task Once_a_turn_has_found_no_open_records_later_turns_do_not_read_the_markers()
    {
        await TurnAsync(async turn => Assert.Empty(await _ledger.OpenForTurnAsync(turn)));
        Assert.Equal(1, _storage.PrefixReads(Markers));
        Assert.Equal(0, (await StoredIndexAsync())!.Value.GetArrayLength());

        _storage.Reset();
        await TurnAsync(async turn => Assert.Empty(await _ledger.OpenForTurnAsync(turn)));
        await TurnAsync(async turn => Assert.Empty(await _ledger.OpenForTurnAsync(turn)));
        Assert.Equal(0, _storage.PrefixReads("intents-open/"));
    }

    [Fact]
    public async Task The_record_its_marker_and_the_index_entry_are_one_storage_write_so_a_crash_right_after_hides_nothing()
    {
        await TurnAsync(async turn => await _ledger.OpenForTurnAsync(turn));
        _storage.Reset();

        // The process dies right after recording (before Aria answers, before the turn's own save).
        await TurnAsync(async turn => Assert.True(await _ledger.RecordPendingAsync(Intent("r1"), turn)), save: false);

        var write = Assert.Single(_storage.Calls, call => call.Kind == "write");
        Assert.Equal(["intents-open/test/convo1/r1", "intents/r1", StateKey], write.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["r1"], (await StoredIndexAsync())!.Value.EnumerateArray().Select(id => id.GetString()));

        // The restarted process's next turn finds it.
        await TurnAsync(async turn => Assert.Equal(["r1"], (await _ledger.OpenForTurnAsync(turn)).Select(intent => intent.Id)));
    }

    [Fact]
    public async Task A_turns_unsaved_changes_are_not_written_with_the_index()
    {
        var dialog = new ConversationState(_storage).CreateProperty<string>("Dialog");
        await TurnAsync(async turn =>
        {
            await _ledger.OpenForTurnAsync(turn);
            await dialog.SetAsync(turn, "before");
        });

        await TurnAsync(async turn =>
        {
            await dialog.SetAsync(turn, "half-way");
            await _ledger.RecordPendingAsync(Intent("r1"), turn);
        }, save: false);

        var stored = (await _memory.ReadAsync([StateKey]))[StateKey].Document;
        Assert.Equal("before", stored.GetProperty("Dialog").GetString());
    }

    [Fact]
    public async Task The_end_of_turn_save_after_recording_succeeds_and_keeps_the_entry()
    {
        var dialog = new ConversationState(_storage).CreateProperty<string>("Dialog");
        await TurnAsync(async turn => await _ledger.OpenForTurnAsync(turn));
        await TurnAsync(async turn =>
        {
            await _ledger.RecordPendingAsync(Intent("r1"), turn);
            await dialog.SetAsync(turn, "after");
        });

        var stored = (await _memory.ReadAsync([StateKey]))[StateKey].Document;
        Assert.Equal("after", stored.GetProperty("Dialog").GetString());
        Assert.Equal(["r1"], (await StoredIndexAsync())!.Value.EnumerateArray().Select(id => id.GetString()));
    }

    [Fact]
    public async Task A_conversation_saved_before_the_index_existed_still_has_its_open_records_found()
    {
        // Today's build: conversation state without the index, and a pending record with its marker.
        await _memory.WriteAsync(StateKey, new { DialogState = new { } }, eTag: null);
        await _memory.WriteAsync("intents/r1", Intent("r1"), eTag: null);
        await _memory.WriteAsync("intents-open/test/convo1/r1", new { id = "r1" }, eTag: null);

        await TurnAsync(async turn => Assert.Equal(["r1"], (await _ledger.OpenForTurnAsync(turn)).Select(intent => intent.Id)));
        Assert.Equal(1, _storage.PrefixReads(Markers));
        // It stays listed until a read finds it told.
        await TurnAsync(async turn => Assert.Single(await _ledger.OpenForTurnAsync(turn)));
        await _ledger.TryCompleteAsync("r1", WriteIntentStatus.Committed, "done", customerTold: true);
        await TurnAsync(async turn => Assert.Empty(await _ledger.OpenForTurnAsync(turn)));
        _storage.Reset();
        await TurnAsync(async turn => Assert.Empty(await _ledger.OpenForTurnAsync(turn)));
        Assert.Equal(0, _storage.PrefixReads("intents-open/"));
    }

    [Fact]
    public async Task Recording_outside_a_turn_adds_to_the_stored_index_and_a_turn_loaded_before_cannot_save_over_it()
    {
        await TurnAsync(async turn => await _ledger.OpenForTurnAsync(turn));
        var conversation = new ConversationState(_storage);
        var adapter = new TestAdapter(new TestAdapterOptions { TimeProvider = _clock });
        await new TestFlow(adapter, async (turn, _) =>
        {
            await conversation.LoadAsync(turn);
            Assert.True(await _ledger.RecordPendingAsync(Intent("r1")));
            await conversation.CreateProperty<string>("Dialog").SetAsync(turn, "stale");
            await Assert.ThrowsAsync<StorageConflictException>(() => conversation.SaveChangesAsync(turn));
        }).Send("hi").StartTestAsync();

        Assert.Equal(["r1"], (await StoredIndexAsync())!.Value.EnumerateArray().Select(id => id.GetString()));
        await TurnAsync(async turn => Assert.Single(await _ledger.OpenForTurnAsync(turn)));
    }

    [Fact]
    public async Task A_repeated_record_is_refused_and_leaves_the_index_as_it_was()
    {
        await TurnAsync(async turn => await _ledger.OpenForTurnAsync(turn));
        await TurnAsync(async turn => Assert.True(await _ledger.RecordPendingAsync(Intent("r1"), turn)));
        await TurnAsync(async turn => Assert.False(await _ledger.RecordPendingAsync(Intent("r1"), turn)));
        Assert.Equal(["r1"], (await StoredIndexAsync())!.Value.EnumerateArray().Select(id => id.GetString()));
    }
}
