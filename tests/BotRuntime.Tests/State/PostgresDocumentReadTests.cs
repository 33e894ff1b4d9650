using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// A read copies a document once (issue 22): the column's bytes go through a pooled buffer into the element, instead of
/// into a <c>byte[]</c> of their own that the element then copied again. The element must still own what it parsed: it
/// outlives the row, the reader and the buffer, which the next read reuses.
/// </summary>
public sealed class PostgresDocumentReadTests() : OwnPostgresTable("docread")
{
    [SkippableFact]
    public async Task A_document_read_is_copied_once()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        // Long strings, so the element's own index of tokens is small beside the text and the bytes allocated are about
        // the copies of the text.
        var value = Enumerable.Range(0, 16).ToDictionary(i => $"line{i}", i => new string((char)('a' + i), 2_000));
        var written = StoreWrite.Of(value, JsonSerializerOptions.Default, null);
        var size = written.Utf8.Length;
        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["doc/big"] = written });

        await using var connection = await DataSource!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT key, etag, document, expires_at FROM {Table} WHERE key = 'doc/big'", connection);
        // Synchronous, so the bytes counted are this thread's: the read of the row is done before counting starts.
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        PostgresStorage.ReadDocument(reader, 2); // once first: the JIT's and the pool's first allocations are not the read's
        var before = GC.GetAllocatedBytesForCurrentThread();
        var document = PostgresStorage.ReadDocument(reader, 2);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Encoding.UTF8.GetString(written.Utf8), document.GetRawText());
        // One copy is the size of the document; two (the old read) at least twice that.
        Assert.True(allocated < size * 3 / 2, $"reading a document of {size} bytes allocated {allocated} bytes");
    }

    [SkippableFact]
    public async Task Elements_read_stay_whole_after_their_buffer_is_used_for_other_documents()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        var texts = Enumerable.Range(0, 6).Select(i => new string((char)('k' + i), 300 + i)).ToArray();
        await store.WriteAsync(texts.Select((text, i) => (text, i))
            .ToDictionary(pair => $"doc/{pair.i}", pair => StoreWrite.Of(new { text = pair.text, n = pair.i }, JsonSerializerOptions.Default, null)));

        // Each read (one key, several keys, a prefix, a turn's read-ahead) parses out of a buffer the next one reuses.
        var first = (await store.ReadAsync(["doc/0"]))["doc/0"].Document;
        var several = await store.ReadAsync(["doc/1", "doc/2"]);
        var prefixed = await store.ReadPrefixAsync("doc/", 10);
        var start = await store.TryStartTurnAsync("conv/docread", "holder", TimeSpan.FromSeconds(30),
            new TurnStart(new Dictionary<string, StoreWrite>(), ["doc/3", "doc/4"]), default);
        TurnReadAhead.Enter(start!.ReadAhead);
        try
        {
            var readAhead = await store.ReadAsync(["doc/3", "doc/4"]);
            await store.ReadAsync(["doc/5"]);
            GC.Collect();

            Assert.Equal(texts[0], first.GetProperty("text").GetString());
            Assert.Equal(texts[1], several["doc/1"].Document.GetProperty("text").GetString());
            Assert.Equal(texts[2], several["doc/2"].Document.GetProperty("text").GetString());
            Assert.Equal(texts, prefixed.Select(pair => pair.Value.Document.GetProperty("text").GetString()));
            Assert.Equal(4, readAhead["doc/4"].Document.GetProperty("n").GetInt32());
            Assert.Equal(texts[3], readAhead["doc/3"].Document.GetProperty("text").GetString());
        }
        finally
        {
            TurnReadAhead.Enter(null);
        }
    }

    [SkippableFact]
    public async Task A_stored_text_reads_as_JSON_did_white_space_after_it_allowed_a_second_value_not()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        await store.ReadAsync(["nothing"]); // creates the table
        await using (var insert = DataSource!.CreateCommand(
            $"INSERT INTO {Table} (key, etag, document) VALUES ('doc/spaced', 'e1', ' {{\"a\": \"ü\"}} ' || chr(10)), ('doc/two', 'e2', '{{\"a\":1}} {{\"b\":2}}')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal("ü", (await store.ReadAsync(["doc/spaced"]))["doc/spaced"].Document.GetProperty("a").GetString());
        await Assert.ThrowsAnyAsync<JsonException>(() => store.ReadAsync(["doc/two"]));
    }
}
