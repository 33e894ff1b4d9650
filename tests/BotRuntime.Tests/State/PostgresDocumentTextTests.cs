using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BotRuntime.State;

namespace BotRuntime.Tests.State;

/// <summary>
/// Documents go to PostgreSQL and come back as the UTF-8 they already are (issue 22: each was made a string, twice its
/// bytes, on the way in and on the way out), and are still stored as text exactly as written, so older instances and
/// anyone reading the column see the same characters. Non-ASCII text unescaped (all but the emoji, which JSON escapes), so
/// the bytes really are multi-byte UTF-8.
/// </summary>
public sealed class PostgresDocumentTextTests() : OwnPostgresTable("doctext")
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly object Value = new { text = "Grüße, café — 请回复 😀", quote = "say \"yes\" \\ no", amount = 12.5 };

    [SkippableFact]
    public async Task A_document_is_stored_as_its_exact_text_and_read_back_equal_by_every_read()
    {
        RequireDatabase();
        var store = new PostgresStorage(DataSource!, TimeProvider.System, Table);
        var bytes = StoreWrite.Of(Value, Unescaped, null);
        var json = Encoding.UTF8.GetString(bytes.Utf8);
        Assert.Contains("请回复", json, StringComparison.Ordinal);

        // Written by a plain write (bytes of its own, and an element's bytes) and as a turn's claim.
        await store.WriteAsync(new Dictionary<string, StoreWrite>
        {
            ["doc/bytes"] = bytes,
            ["doc/element"] = new(JsonSerializer.SerializeToElement(Value, Unescaped), null),
        });
        var start = new TurnStart(new Dictionary<string, StoreWrite> { ["doc/claim"] = StoreWrite.Of(Value, Unescaped, null) }, ["doc/bytes"]);
        Assert.True((await store.TryStartTurnAsync("conv/doctext", "holder", TimeSpan.FromSeconds(30), start, default))!.Claimed);

        // The column holds the text as written, character for character.
        await using (var raw = DataSource!.CreateCommand($"SELECT document FROM {Table} WHERE key LIKE 'doc/%' ORDER BY key"))
        await using (var reader = await raw.ExecuteReaderAsync())
        {
            var stored = new List<string>();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
            Assert.Equal(new[] { json, json, json }, stored);
        }

        // Read back by one key, by several and by prefix: the same document.
        Assert.Equal(json, (await store.ReadAsync(["doc/claim"]))["doc/claim"].Document.GetRawText());
        var several = await store.ReadAsync(["doc/bytes", "doc/element"]);
        Assert.All(several.Values, item => Assert.Equal(json, item.Document.GetRawText()));
        var prefixed = await store.ReadPrefixAsync("doc/", 10);
        Assert.Equal(3, prefixed.Count);
        Assert.All(prefixed, pair => Assert.Equal("Grüße, café — 请回复 😀", pair.Value.Document.GetProperty("text").GetString()));
    }
}
