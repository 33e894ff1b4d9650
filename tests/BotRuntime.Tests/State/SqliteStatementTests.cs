using System.Text.Json;
using BotRuntime.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The store's hot statements run through SQLite's own API on connections it keeps (issue 22): reads of up to
/// <see cref="SqliteStorage.KeysPerRead"/> keys are one prepared statement on a kept reader, documents go to and from the
/// file as UTF-8 without a string, and a write that accepts any version looks up no stored eTag. Each of these keeps
/// what the store answered before: the same items, the same stored text, the same conflicts.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteStatementTests : IAsyncLifetime
{
    private readonly SqliteTestFile _file = new("ariabot-statements");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private SqliteStorage _store = null!;

    public Task InitializeAsync()
    {
        _store = _file.Open(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _file.DisposeAsync();

    private static StoreWrite Doc(object value, string? eTag = null, DateTimeOffset? expires = null) =>
        new(JsonSerializer.SerializeToElement(value), eTag, expires);

    [Fact]
    public async Task A_multi_key_read_answers_exactly_the_live_keys_it_asked_for_and_nothing_a_read_before_it_asked()
    {
        var writes = Enumerable.Range(0, 10).ToDictionary(i => $"m/{i}", i => Doc(new { i }));
        writes["m/expiring"] = Doc(new { gone = true }, expires: _clock.GetUtcNow().AddMinutes(1));
        await _store.WriteAsync(writes);
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Every slot of the prepared statement bound: eight keys, one expired and one never written.
        var eight = await _store.ReadAsync(["m/0", "m/1", "m/2", "m/3", "m/4", "m/5", "m/expiring", "m/missing"]);
        Assert.Equal(["m/0", "m/1", "m/2", "m/3", "m/4", "m/5"], eight.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, eight["m/4"].Document.GetProperty("i").GetInt32());

        // The next read on the same kept reader binds fewer keys: the slots it leaves must not keep the last read's keys.
        var two = await _store.ReadAsync(["m/8", "m/9"]);
        Assert.Equal(["m/8", "m/9"], two.Keys.Order(StringComparer.Ordinal));
        var one = await _store.ReadAsync(["m/missing", "m/7"]);
        Assert.Equal(["m/7"], one.Keys);

        // More keys than one statement takes (the pooled path): the same answer shape.
        var all = await _store.ReadAsync([.. Enumerable.Range(0, 10).Select(i => $"m/{i}"), "m/expiring"]);
        Assert.Equal(10, all.Count);
        Assert.All(all, pair => Assert.Equal(eight.GetValueOrDefault(pair.Key)?.ETag ?? pair.Value.ETag, pair.Value.ETag));
    }

    [Fact]
    public async Task Documents_are_stored_as_the_same_text_and_read_back_as_written()
    {
        // Escapes, non-ASCII text as written, nesting: the bytes the element holds are what the row's text holds.
        const string raw = """{"text":"caf\u00e9 → ✓ \"quoted\" \\ tab\t","n":[1,2.50,-3e2],"nested":{"empty":{},"none":null}}""";
        using var parsed = JsonDocument.Parse(raw);
        var eTag = (await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["doc/1"] = new(parsed.RootElement, null) }))["doc/1"];

        var item = (await _store.ReadAsync(["doc/1"]))["doc/1"];
        Assert.Equal(raw, item.Document.GetRawText());
        Assert.Equal(eTag, item.ETag);
        var pair = await _store.ReadAsync(["doc/1", "doc/none"]);
        Assert.Equal(raw, pair["doc/1"].Document.GetRawText());

        // On file: TEXT, byte for byte (an earlier build, or a tool, reads the same row).
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file.Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(document), document FROM bot_state WHERE key = 'doc/1'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("text", reader.GetString(0));
        Assert.Equal(raw, reader.GetString(1));
    }

    [Fact]
    public async Task A_write_that_accepts_any_version_looks_up_no_etag_and_conditions_are_still_checked()
    {
        var first = (await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["w/a"] = Doc(new { v = 1 }), ["w/b"] = Doc(new { v = 1 }) }))["w/a"];
        var lookups = _store.ConditionReads;

        // Any version: overwritten without reading what is stored.
        await _store.WriteAsync(new Dictionary<string, StoreWrite> { ["w/a"] = Doc(new { v = 2 }, StoreWrite.AnyETag), ["w/c"] = Doc(new { v = 2 }, StoreWrite.AnyETag) });
        Assert.Equal(lookups, _store.ConditionReads);
        Assert.Equal(2, (await _store.ReadAsync(["w/a"]))["w/a"].Document.GetProperty("v").GetInt32());

        // Every other condition is looked up and holds: the eTag read before the any-version write is stale now.
        await Assert.ThrowsAsync<StorageConflictException>(() => _store.WriteAsync(new Dictionary<string, StoreWrite> { ["w/a"] = Doc(new { v = 3 }, first) }));
        await Assert.ThrowsAsync<StorageConflictException>(() => _store.WriteAsync(new Dictionary<string, StoreWrite> { ["w/b"] = Doc(new { v = 3 }) }));
        Assert.Equal(lookups + 2, _store.ConditionReads);
        Assert.Equal(2, (await _store.ReadAsync(["w/a"]))["w/a"].Document.GetProperty("v").GetInt32());
    }
}
