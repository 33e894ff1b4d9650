using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The in-memory store keeps less per row (issue 22: memory after 10,000 conversations) without changing what it
/// answers: documents as UTF-8 bytes, one element per key in the expiry queue however often the key is rewritten, and
/// still a copy of its own for every caller (what a caller wrote or read can never change what is stored).
/// </summary>
public sealed class MemoryStorageFootprintTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));

    private static StoreWrite Doc(object value, string? eTag = StoreWrite.AnyETag, DateTimeOffset? expires = null) =>
        new(JsonSerializer.SerializeToElement(value), eTag, expires);

    [Fact]
    public async Task A_key_rewritten_every_turn_with_a_later_expiry_keeps_one_queue_element_and_still_expires()
    {
        var store = new MemoryStorage(_clock);
        var retention = TimeSpan.FromDays(30);
        // A conversation saved on each of 1,000 turns, a minute apart, each save pushing its expiry on.
        for (var turn = 0; turn < 1_000; turn++)
        {
            await store.WriteAsync(new Dictionary<string, StoreWrite> { ["conversations/c1"] = Doc(new { turn }, expires: _clock.GetUtcNow() + retention) });
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, store.ScheduledCount);

        // 30 days after the first save: that element comes due, but the key lives on (saved since) and is moved on.
        _clock.Advance(retention - TimeSpan.FromMinutes(1_000));
        Assert.Equal(0, await store.PurgeExpiredAsync());
        Assert.Equal(999, (await store.ReadAsync(["conversations/c1"]))["conversations/c1"].Document.GetProperty("turn").GetInt32());
        Assert.Equal(1, store.ScheduledCount);

        // 30 days after the last save it goes.
        _clock.Advance(TimeSpan.FromMinutes(1_000));
        Assert.Equal(1, await store.PurgeExpiredAsync());
        Assert.Empty(await store.ReadAsync(["conversations/c1"]));
        Assert.Equal(0, store.ScheduledCount);
    }

    [Fact]
    public async Task A_key_rewritten_with_an_earlier_expiry_goes_at_the_earlier_time()
    {
        var store = new MemoryStorage(_clock);
        var now = _clock.GetUtcNow();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 1 }, expires: now + TimeSpan.FromDays(1)) });
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 2 }, expires: now + TimeSpan.FromMinutes(5)) });

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await store.PurgeExpiredAsync());
        Assert.Empty(await store.ReadPrefixAsync("", 10));

        // Created again with no expiry after the purge: the old day-long element, when it comes, removes nothing.
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 3 }, eTag: null) });
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await store.PurgeExpiredAsync());
        Assert.Equal(3, (await store.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
        Assert.Equal(0, store.ScheduledCount);
    }

    [Fact]
    public async Task A_deleted_key_created_again_expires_on_its_new_schedule_only()
    {
        var store = new MemoryStorage(_clock);
        var now = _clock.GetUtcNow();
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 1 }, expires: now + TimeSpan.FromMinutes(1)) });
        await store.DeleteAsync(["k"]);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 2 }, eTag: null, expires: now + TimeSpan.FromHours(1)) });

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await store.PurgeExpiredAsync());
        Assert.Single(await store.ReadAsync(["k"]));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await store.PurgeExpiredAsync());
        Assert.Empty(await store.ReadAsync(["k"]));
    }

    [Fact]
    public async Task What_was_written_and_what_was_read_are_copies_the_store_does_not_share()
    {
        var store = new MemoryStorage(_clock);
        const string text = """{"name":"Zoë Ñúñez","notes":["añadir","quitar"],"n":1}""";
        // The written element's document is disposed right after the write (its pooled buffers go back and are reused).
        using (var source = JsonDocument.Parse(text))
        {
            await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(source.RootElement, null) });
        }
        using (var reuse = JsonDocument.Parse("""{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","notes":["yyyyyyyy","zzzzzzzz"],"n":2}"""))
        {
            Assert.Equal(2, reuse.RootElement.GetProperty("n").GetInt32());
        }
        var first = (await store.ReadAsync(["k"]))["k"];
        Assert.Equal(text, first.Document.GetRawText());

        // A later write never reaches an element read before it, and a read of the new one is its own too.
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { name = "Ada", n = 2 }, first.ETag) });
        Assert.Equal("Zoë Ñúñez", first.Document.GetProperty("name").GetString());
        var second = (await store.ReadPrefixAsync("k", 1))[0].Value;
        Assert.Equal("Ada", second.Document.GetProperty("name").GetString());
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task ETags_are_matched_exactly_as_text()
    {
        var store = new MemoryStorage(_clock);
        var eTag = (await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 1 }, eTag: null) }))["k"];
        // The same number written differently is not the same eTag (the store compares text, as the durable ones do).
        foreach (var lookalike in new[] { "0" + eTag, eTag + " ", " " + eTag, "+" + eTag, "" })
        {
            var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 2 }, lookalike) }));
            Assert.Equal("k", conflict.Key);
        }
        Assert.Equal(1, (await store.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = 2 }, eTag) });
        Assert.Equal(2, (await store.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
    }

    [Fact]
    public async Task Documents_are_kept_as_their_utf8_bytes()
    {
        var store = new MemoryStorage(_clock);
        var document = JsonSerializer.SerializeToElement(new { text = new string('a', 500) });
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(document, null) });
        // One byte per character here; the UTF-16 string kept before held two.
        Assert.Equal(Encoding.UTF8.GetByteCount(document.GetRawText()), store.DocumentBytes);
    }
}
