using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotRuntime.State;

/// <summary>
/// Reads by key (a turn's state, a delivery record, the ingress ownership markers: nearly every read) on connections kept
/// by the store with their statements prepared once (issue 22): a pooled connection per call cost a pool round, a new
/// command and a fresh <c>sqlite3_prepare</c> every time. WAL lets them read while the writer writes. The statements are
/// SQLite's own (<c>SQLitePCL.raw</c>), so a document goes from the file's UTF-8 straight into its <see cref="JsonElement"/>
/// (no UTF-16 string of it, no second parse and copy).
/// </summary>
public sealed partial class SqliteStorage
{
    /// <summary>Idle reader connections kept at most; more run at once when needed and are closed after.</summary>
    internal const int MaxIdleReaders = 8;

    /// <summary>Keys one prepared multi-key read takes (one statement, so one snapshot); a read of more keys goes to the pool.</summary>
    internal const int KeysPerRead = 8;

    private readonly ConcurrentBag<ReaderConnection> _readers = [];

    /// <summary>
    /// Runs <paramref name="read"/> with <paramref name="state"/> on a kept reader connection (opening one when none is
    /// idle) and keeps it again after.
    /// </summary>
    private async Task<T> OnReaderAsync<TState, T>(TState state, Func<ReaderConnection, long, TState, T> read)
    {
        await _initialized.Value.ConfigureAwait(false);
        var reader = _readers.TryTake(out var idle) ? idle : ReaderConnection.Open(_connectionString, MarkConfigured);
        T result;
        try
        {
            result = read(reader, NowMs(), state);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        if (_readers.Count >= MaxIdleReaders)
        {
            reader.Dispose();
        }
        else
        {
            _readers.Add(reader);
        }
        return result;
    }

    private async Task<IReadOnlyDictionary<string, StoreItem>> ReadCoreAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 1)
        {
            // Most reads outside a turn's start are of one key too (a delivery record, a Direct Line conversation).
            var key = keys.First();
            return new OneItem(key, await ReadOneAsync(key).ConfigureAwait(false));
        }
        var result = new Dictionary<string, StoreItem?>(keys.Count, StringComparer.Ordinal);
        await ReadIntoAsync(keys, result, cancellationToken).ConfigureAwait(false);
        // Only rows found were added, so no value is null.
        return result!;
    }

    /// <summary>Adds every live row of <paramref name="keys"/> to <paramref name="into"/> (the caller's own dictionary: no copy).</summary>
    private async Task ReadIntoAsync(IReadOnlyCollection<string> keys, Dictionary<string, StoreItem?> into, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }
        if (keys.Count == 1)
        {
            var key = keys.First();
            if (await ReadOneAsync(key).ConfigureAwait(false) is { } item)
            {
                into[key] = item;
            }
            return;
        }
        Interlocked.Increment(ref _fileReads);
        if (keys.Count <= KeysPerRead)
        {
            await OnReaderAsync((keys, into), static (reader, now, read) => reader.ReadMany(read.keys, now, read.into)).ConfigureAwait(false);
            return;
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT key, etag, document, expires_at FROM bot_state WHERE key IN ({KeyParameters(command, keys)}) AND (expires_at IS NULL OR expires_at > $now)";
        command.Parameters.AddWithValue("$now", NowMs());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into[reader.GetString(0)] = ReadItem(reader);
        }
    }

    private Task<StoreItem?> ReadOneAsync(string key)
    {
        Interlocked.Increment(ref _fileReads);
        // A static lambda with its state passed in: no closure or delegate per read.
        return OnReaderAsync(key, static (reader, now, one) => reader.Read(one, now));
    }

    private void CloseIdleReaders()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed class ReaderConnection : IDisposable
    {
        private const string Columns = "SELECT key, etag, document, expires_at FROM bot_state";
        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _one;
        private readonly sqlite3_stmt _many;

        private ReaderConnection(SqliteConnection connection)
        {
            _connection = connection;
            _one = RawStatements.Prepare(connection, $"{Columns} WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)");
            try
            {
                // Unused slots are bound to NULL, which equals no key: one statement serves 2 to KeysPerRead keys.
                var slots = string.Join(',', Enumerable.Range(2, KeysPerRead).Select(i => $"?{i}"));
                _many = RawStatements.Prepare(connection, $"{Columns} WHERE key IN ({slots}) AND (expires_at IS NULL OR expires_at > ?1)");
            }
            catch
            {
                _one.Dispose();
                throw;
            }
        }

        public static ReaderConnection Open(string connectionString, Action configured) =>
            OpenOwnConnection(connectionString, configured, connection => new ReaderConnection(connection));

        public StoreItem? Read(string key, long now)
        {
            try
            {
                raw.sqlite3_bind_text(_one, 1, key);
                raw.sqlite3_bind_int64(_one, 2, now);
                return RawStatements.Step(_connection, _one) ? RawStatements.ReadItem(_one) : null;
            }
            finally
            {
                raw.sqlite3_reset(_one);
            }
        }

        /// <summary>Adds the live rows of 2 to <see cref="KeysPerRead"/> keys to <paramref name="into"/>; true (a cached task's result).</summary>
        public bool ReadMany(IReadOnlyCollection<string> keys, long now, Dictionary<string, StoreItem?> into)
        {
            try
            {
                raw.sqlite3_bind_int64(_many, 1, now);
                var slot = 2;
                foreach (var key in keys)
                {
                    raw.sqlite3_bind_text(_many, slot++, key);
                }
                for (; slot < KeysPerRead + 2; slot++)
                {
                    raw.sqlite3_bind_null(_many, slot);
                }
                while (RawStatements.Step(_connection, _many))
                {
                    into[KeyOf(raw.sqlite3_column_blob(_many, 0), keys)] = RawStatements.ReadItem(_many);
                }
                return true;
            }
            finally
            {
                raw.sqlite3_reset(_many);
            }
        }

        /// <summary>The caller's own key string for a row's key (the row answers one of them): no new string per row.</summary>
        private static string KeyOf(ReadOnlySpan<byte> utf8, IReadOnlyCollection<string> keys)
        {
            if (utf8.Length <= 512)
            {
                Span<char> chars = stackalloc char[512];
                var text = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
                foreach (var key in keys)
                {
                    if (text.SequenceEqual(key))
                    {
                        return key;
                    }
                }
            }
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        public void Dispose()
        {
            // Statements first: a connection closed with a statement still open only closes when that one is finalized
            // (a GC later), which is when the file's -wal and -shm would go.
            _one.Dispose();
            _many.Dispose();
            _connection.Dispose();
        }
    }
}
