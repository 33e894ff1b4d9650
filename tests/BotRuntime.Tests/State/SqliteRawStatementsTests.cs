using System.Text.Json;
using BotRuntime.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SQLitePCL;

namespace BotRuntime.Tests.State;

/// <summary>
/// Stored eTags compared and a read's row keys matched as the file's UTF-8, without a string of either (issue 22,
/// x/sqlite4). What is matched stays exactly the text: non-ASCII keys, keys too long for the stack, and eTag conditions
/// still conflict as before.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteRawStatementsTests : IAsyncLifetime
{
    private readonly SqliteTestFile _file = new("ariabot-raw");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private SqliteStorage _store = null!;

    public Task InitializeAsync()
    {
        _store = _file.Open(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _file.DisposeAsync();

    private static StoreWrite Doc(object value, string? eTag = null) => new(JsonSerializer.SerializeToElement(value), eTag);

    [Fact]
    public void A_stored_text_is_compared_byte_for_byte_without_a_string_of_it()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var statement = RawStatements.Prepare(connection, "SELECT ?1");
        try
        {
            const string eTag = "0f3a9c1d2e4b5a6978877665";
            raw.sqlite3_bind_text(statement, 1, eTag);
            Assert.True(RawStatements.Step(connection, statement));
            RawStatements.TextEquals(raw.sqlite3_column_blob(statement, 0), eTag);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                Assert.True(RawStatements.TextEquals(raw.sqlite3_column_blob(statement, 0), eTag));
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            raw.sqlite3_reset(statement);

            foreach (var text in new[] { eTag, "conversation/ñandú/日本語/😀", new string('k', 2000), "" })
            {
                raw.sqlite3_bind_text(statement, 1, text);
                Assert.True(RawStatements.Step(connection, statement));
                Assert.True(RawStatements.TextEquals(raw.sqlite3_column_blob(statement, 0), text));
                Assert.False(RawStatements.TextEquals(raw.sqlite3_column_blob(statement, 0), text + "x"));
                Assert.False(RawStatements.TextEquals(raw.sqlite3_column_blob(statement, 0), text.ToUpperInvariant() + "é"));
                raw.sqlite3_reset(statement);
            }
        }
        finally
        {
            statement.Dispose();
        }
    }

    [Fact]
    public async Task Non_ascii_and_long_keys_are_written_read_and_eTag_checked_as_before()
    {
        var keys = new[] { "conv/ñandú/日本語/😀", "conv/" + new string('x', 1500), "conv/plain" };
        var first = await _store.WriteAsync(keys.ToDictionary(key => key, key => Doc(new { v = 1 })));

        // One key, and several in one statement: each row comes back under the caller's own key.
        foreach (var key in keys)
        {
            Assert.Equal(first[key], (await _store.ReadAsync([key]))[key].ETag);
        }
        var all = await _store.ReadAsync([.. keys, "conv/ñandu/日本語/😀"]);
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));

        // Conditions compare the stored eTag's bytes: the current one passes, a stale one and a create-only write conflict.
        foreach (var key in keys)
        {
            var second = await _store.WriteAsync(new Dictionary<string, StoreWrite> { [key] = Doc(new { v = 2 }, first[key]) });
            Assert.Equal(key, (await Assert.ThrowsAsync<StorageConflictException>(() =>
                _store.WriteAsync(new Dictionary<string, StoreWrite> { [key] = Doc(new { v = 3 }, first[key]) }))).Key);
            Assert.Equal(key, (await Assert.ThrowsAsync<StorageConflictException>(() =>
                _store.WriteAsync(new Dictionary<string, StoreWrite> { [key] = Doc(new { v = 3 }) }))).Key);
            var stored = (await _store.ReadAsync([key]))[key];
            Assert.Equal(second[key], stored.ETag);
            Assert.Equal(2, stored.Document.GetProperty("v").GetInt32());
        }
    }
}
