using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// A write made with <see cref="StoreWrite.Of{T}"/> carries the value serialised once, as UTF-8 (issue 22): its element
/// is the same JSON, parsed only when asked for; the memory store keeps the bytes without a copy, and what it hands
/// out on a read is still the reader's own. Every store runs the whole conformance suite with such writes too (eTag
/// conflicts included), in the subclasses below.
/// </summary>
public sealed class StoreWriteTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private sealed record Line(string Text, DateTimeOffset At, IReadOnlyList<string>? Shown);

    private static readonly Line Sample = new("añadir \"2\" <b> ✓ 😀", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), ["Pay", "Help"]);

    [Fact]
    public void The_bytes_and_the_element_are_the_same_json_as_the_serialiser_writes()
    {
        var write = StoreWrite.Of(Sample, StateJson.Options, StoreWrite.AnyETag, _clock.GetUtcNow());
        var expected = JsonSerializer.SerializeToUtf8Bytes(Sample, StateJson.Options);
        Assert.Equal(expected, write.Utf8.ToArray());
        Assert.Equal(JsonSerializer.SerializeToElement(Sample, StateJson.Options).GetRawText(), write.Document.GetRawText());
        Assert.Equal("Help", write.Document.GetProperty("shown")[1].GetString());
        Assert.Equal(StoreWrite.AnyETag, write.ETag);
        Assert.Equal(_clock.GetUtcNow(), write.ExpiresAt);

        // A copy with another eTag keeps the document; an element-made write gives its element's own bytes.
        var copy = write with { ETag = null };
        Assert.Equal(expected, copy.Utf8.ToArray());
        Assert.Equal(write.Document.GetRawText(), copy.Document.GetRawText());
        var fromElement = new StoreWrite(write.Document, null);
        Assert.Equal(expected, fromElement.Utf8.ToArray());
    }

    [Fact]
    public async Task The_memory_store_keeps_the_bytes_without_a_copy_and_each_read_is_the_readers_own()
    {
        var store = new MemoryStorage(_clock);
        var big = new Line(new string('x', 100_000), _clock.GetUtcNow(), null);
        var write = StoreWrite.Of(big, StateJson.Options, null);
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["warm"] = StoreWrite.Of(Sample, StateJson.Options, null) });

        // The store's write runs synchronously on this thread: anything near the document's size would be a copy.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var eTag = (await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = write }))["k"];
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 10_000, $"{allocated} bytes allocated to store a {write.Utf8.Length}-byte document");
        Assert.Equal(write.Utf8.Length, store.DocumentBytes - JsonSerializer.SerializeToUtf8Bytes(Sample, StateJson.Options).Length);

        var first = (await store.ReadAsync(["k"]))["k"];
        var second = (await store.ReadPrefixAsync("k", 1))[0].Value;
        Assert.Equal(write.Document.GetRawText(), first.Document.GetRawText());
        Assert.Equal(write.Document.GetRawText(), second.Document.GetRawText());
        Assert.Equal(eTag, first.ETag);

        // Written again from what was read: the earlier read and the conflict rules are untouched.
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = StoreWrite.Of(Sample, StateJson.Options, eTag) });
        Assert.Equal(big.Text, first.Document.GetProperty("text").GetString());
        await Assert.ThrowsAsync<StorageConflictException>(() =>
            store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = StoreWrite.Of(big, StateJson.Options, eTag) }));
        Assert.Equal(Sample.Text, (await store.ReadAsync(["k"]))["k"].Document.GetProperty("text").GetString());
    }
}

public sealed class MemoryStorageUtf8Conformance : MemoryStorageConformance
{
    protected override bool WritesUtf8 => true;
}

public sealed class SqliteStorageUtf8Conformance : SqliteStorageConformance
{
    protected override bool WritesUtf8 => true;
}

public sealed class PostgresStorageUtf8Conformance : PostgresStorageConformance
{
    protected override bool WritesUtf8 => true;
}
