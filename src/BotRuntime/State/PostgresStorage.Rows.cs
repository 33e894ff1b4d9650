using System.Buffers;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace BotRuntime.State;

/// <summary>What goes into a statement and what comes out of a row (issue 22: the bot's side of a round trip).</summary>
public sealed partial class PostgresStorage
{
    /// <summary>
    /// The texts of the statements every turn sends, made once per store (issue 22: interpolated per call, each was a new
    /// string, hashed again by Npgsql to find its prepared statement).
    /// </summary>
    private sealed class Statements(string table)
    {
        public readonly string ReadOne = $"SELECT key, etag, document, expires_at FROM {table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)";
        public readonly string ReadMany = $"SELECT o_key, o_etag, o_document, o_expires FROM {table}_read_v1($1, $2)";
        public readonly string Write = $"SELECT {table}_write_v3($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        public readonly string Begin = $"SELECT o_token, o_claimed, o_key, o_etag, o_document, o_expires FROM {table}_begin_v3($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    }

    /// <summary>
    /// The write function's arrays for <paramref name="changes"/>, keys in ordinal order (so two writers never deadlock),
    /// with a new eTag for each key (also put in <paramref name="eTagsByKey"/>).
    /// </summary>
    private static (string[] Keys, string?[] Expected, string[] ETags, byte[][] Documents, DateTime?[] Expires) WriteArrays(
        IReadOnlyDictionary<string, StoreWrite> changes, Dictionary<string, string> eTagsByKey)
    {
        // The keys sorted in place and each change looked up again: an ordering query made five arrays and enumerators
        // per write.
        var keys = new string[changes.Count];
        var n = 0;
        foreach (var key in changes.Keys)
        {
            keys[n++] = key;
        }
        Array.Sort(keys, StringComparer.Ordinal);
        var expected = new string?[keys.Length];
        var eTags = new string[keys.Length];
        var documents = new byte[keys.Length][];
        var expires = new DateTime?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            MemoryStorage.ValidateKey(key);
            var change = changes[key];
            expected[i] = change.ETag;
            eTags[i] = eTagsByKey[key] = SqliteStorage.NewETag();
            documents[i] = change.OwnedUtf8 ?? change.Utf8.ToArray();
            expires[i] = change.ExpiresAt?.UtcDateTime;
        }
        return (keys, expected, eTags, documents, expires);
    }

    /// <summary>
    /// The documents for the functions' <c>text[]</c> parameter as the UTF-8 they already are (issue 22: each was made a
    /// string, twice its bytes, for Npgsql to encode back to UTF-8). Typed explicitly: a <c>byte[][]</c> would otherwise go
    /// as <c>bytea[]</c>.
    /// </summary>
    private static NpgsqlParameter<byte[][]> DocumentsParameter(byte[][] documents) =>
        new() { TypedValue = documents, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static StoreItem ReadItem(NpgsqlDataReader reader, int first = 0)
    {
        var document = ReadDocument(reader, first + 2);
        DateTimeOffset? expires = reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<DateTimeOffset>(first + 3);
        return new StoreItem(document, reader.GetString(first + 1), expires);
    }

    /// <summary>
    /// One standalone element parsed from the column's UTF-8, copied once: into the element itself. The bytes are taken
    /// from the row into a pooled buffer (issue 22: read as a <c>byte[]</c> of their own, they were a second copy per
    /// document, garbage as soon as parsed); the element owns what it parsed, so it stays valid after the reader moves on
    /// and the buffer goes back to the pool.
    /// </summary>
    internal static JsonElement ReadDocument(NpgsqlDataReader reader, int ordinal)
    {
        // GetBytes on a text column hands over its raw bytes: the database's UTF-8 (the store's tables are UTF-8, as
        // the byte[] read before assumed).
        var length = checked((int)reader.GetBytes(ordinal, 0, null, 0, 0));
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var copied = (int)reader.GetBytes(ordinal, 0, buffer, 0, length);
            var json = new Utf8JsonReader(buffer.AsSpan(0, copied));
            var document = JsonElement.ParseValue(ref json);
            // As JsonSerializer.Deserialize did: anything but white space after the value is an error.
            if (json.Read())
            {
                throw new JsonException($"A stored document has more than one JSON value ({json.TokenType} after the first).");
            }
            return document;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
