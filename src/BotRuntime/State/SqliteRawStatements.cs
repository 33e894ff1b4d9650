using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotRuntime.State;

/// <summary>
/// The store's hot statements, prepared once on a connection the store owns and run through SQLite's own API: a
/// <c>SqliteCommand</c> per call converted every document between UTF-8 and UTF-16 twice and allocated a reader, a
/// parameter list and their values per call (issue 22). Documents are bound and read as the file's UTF-8 bytes.
/// </summary>
internal static class RawStatements
{
    public static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement);
        if (rc != raw.SQLITE_OK || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc == raw.SQLITE_OK ? raw.SQLITE_ERROR : rc, connection.Handle);
            throw new InvalidOperationException("unreachable: ThrowExceptionForRC throws for an error code");
        }
        return statement;
    }

    /// <summary>Runs the statement one step: true with a row to read, false when done; an error throws (the caller resets it).</summary>
    public static bool Step(SqliteConnection connection, sqlite3_stmt statement)
    {
        // The connection's busy_timeout makes SQLite itself wait for a lock, as the command timeout did before.
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
        return false;
    }

    /// <summary>Runs a statement that returns no rows, then resets it.</summary>
    public static void Execute(SqliteConnection connection, sqlite3_stmt statement)
    {
        try
        {
            while (Step(connection, statement))
            {
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>The row's item from columns 1-3 (etag, document, expires_at): the document parsed from its UTF-8 in place.</summary>
    public static StoreItem ReadItem(sqlite3_stmt statement)
    {
        // A standalone element: ParseValue copies the bytes once into a document of its own (no pooled buffers to return).
        var json = new Utf8JsonReader(raw.sqlite3_column_blob(statement, 2));
        var document = JsonElement.ParseValue(ref json);
        DateTimeOffset? expires = raw.sqlite3_column_type(statement, 3) == raw.SQLITE_NULL
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(raw.sqlite3_column_int64(statement, 3));
        return new StoreItem(document, raw.sqlite3_column_text(statement, 1).utf8_to_string(), expires);
    }

    // eTags and keys are short: their UTF-8 fits on the stack (GetMaxByteCount is 3 bytes a char, plus 3).
    private const int StackText = 1024;
    private const int StackChars = StackText / 3 - 1;

    /// <summary>True when the column's UTF-8 <paramref name="utf8"/> is <paramref name="value"/>, without a string of it.</summary>
    public static bool TextEquals(ReadOnlySpan<byte> utf8, string value)
    {
        if (value.Length > StackChars)
        {
            return string.Equals(Encoding.UTF8.GetString(utf8), value, StringComparison.Ordinal);
        }
        Span<byte> encoded = stackalloc byte[StackText];
        return utf8.SequenceEqual(encoded[..Encoding.UTF8.GetBytes(value, encoded)]);
    }
}
