using System.Text.Json;
using BotRuntime.State;

namespace BotRuntime.Tests.State;

/// <summary>
/// A turn's end-of-turn writes gathered into one storage write (issue 22): all or nothing, a conflicting state save
/// still detected and nothing of the turn written, a conflicting best-effort line dropped alone, and lines written
/// after the commit go straight to the store — on the in-memory store and on SQLite alike.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class TurnWritesTests() : StoreKindTests("turnwrites")
{
    private static StoreWrite Doc(object value, string? eTag = null) => new(JsonSerializer.SerializeToElement(value), eTag);

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task State_lines_and_the_closing_record_commit_together(string kind)
    {
        var storage = Store(kind);
        var turn = new TurnWrites { Closing = () => new Dictionary<string, StoreWrite> { ["done"] = Doc(new { status = "done" }, StoreWrite.AnyETag) } };
        Assert.True(turn.TryDefer("line/1", Doc(new { text = "hi" })));
        Assert.True(turn.TryDefer("line/2", Doc(new { text = "hello" })));
        Assert.Single(turn.Deferred("line/1"));

        var written = await turn.CommitAsync(storage, new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 1 }) }, CancellationToken.None);

        Assert.True(turn.Committed);
        Assert.Equal(["done", "line/1", "line/2", "state"], written.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, (await storage.ReadAsync(["done", "line/1", "line/2", "state"])).Count);
        // After the commit a line is the writer's own to store, and nothing is left over.
        Assert.False(turn.TryDefer("line/3", Doc(new { text = "late" })));
        Assert.Empty(turn.TakeLeftovers());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_conflicting_state_save_throws_and_writes_nothing_of_the_turn(string kind)
    {
        var storage = Store(kind);
        var loaded = await storage.WriteAsync("state", new { step = 1 }, eTag: null);
        // Another turn saved meanwhile: the loaded eTag is stale.
        await storage.WriteAsync("state", new { step = 2 }, loaded);

        var turn = new TurnWrites { Closing = () => new Dictionary<string, StoreWrite> { ["done"] = Doc(new { status = "done" }, StoreWrite.AnyETag) } };
        turn.TryDefer("line/1", Doc(new { text = "hi" }));
        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() =>
            turn.CommitAsync(storage, new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 3 }, loaded) }, CancellationToken.None));

        Assert.Equal("state", conflict.Key);
        Assert.False(turn.Committed);
        var stored = await storage.ReadAsync(["state", "done", "line/1"]);
        Assert.Equal(2, stored["state"].Document.GetProperty("step").GetInt32());
        Assert.False(stored.ContainsKey("done"));
        Assert.False(stored.ContainsKey("line/1"));
        // The line is handed back to be written on its own (best effort), and later lines are not gathered any more.
        Assert.Equal(["line/1"], turn.TakeLeftovers().Keys);
        Assert.False(turn.TryDefer("line/2", Doc(new { text = "late" })));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_conflicting_best_effort_line_is_dropped_and_the_rest_committed(string kind)
    {
        var storage = Store(kind);
        await storage.WriteAsync("line/taken", new { text = "someone else's" }, eTag: null);

        var turn = new TurnWrites();
        turn.TryDefer("line/taken", Doc(new { text = "mine" }));
        turn.TryDefer("line/ok", Doc(new { text = "fine" }));
        await turn.CommitAsync(storage, new Dictionary<string, StoreWrite> { ["state"] = Doc(new { step = 1 }) }, CancellationToken.None);

        var stored = await storage.ReadAsync(["state", "line/taken", "line/ok"]);
        Assert.Equal("someone else's", stored["line/taken"].Document.GetProperty("text").GetString());
        Assert.True(stored.ContainsKey("line/ok"));
        Assert.True(stored.ContainsKey("state"));
    }
}
