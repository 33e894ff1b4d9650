using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace BotRuntime.State;

/// <summary>
/// Single-key reads (a turn's state, a delivery record: nearly every read) on connections kept by the store with their
/// statement prepared once (issue 22): a pooled connection per call cost a pool round, a new command and a fresh
/// <c>sqlite3_prepare</c> every time. WAL lets them read while the writer writes.
/// </summary>
public sealed partial class SqliteStorage
{
    /// <summary>Idle reader connections kept at most; more run at once when needed and are closed after.</summary>
    internal const int MaxIdleReaders = 8;

    private readonly ConcurrentBag<ReaderConnection> _readers = [];

    private async Task<StoreItem?> ReadOneAsync(string key)
    {
        await _initialized.Value.ConfigureAwait(false);
        var reader = _readers.TryTake(out var idle) ? idle : ReaderConnection.Open(_connectionString, MarkConfigured);
        StoreItem? item;
        try
        {
            item = reader.Read(key, NowMs());
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
        return item;
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
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _select;

        private ReaderConnection(SqliteConnection connection)
        {
            _connection = connection;
            _select = connection.CreateCommand();
            _select.CommandText = "SELECT key, etag, document, expires_at FROM bot_state WHERE key = $key AND (expires_at IS NULL OR expires_at > $now)";
            _select.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
            _select.Parameters.Add(new SqliteParameter { ParameterName = "$now" });
            _select.Prepare();
        }

        public static ReaderConnection Open(string connectionString, Action configured) =>
            OpenOwnConnection(connectionString, configured, connection => new ReaderConnection(connection));

        public StoreItem? Read(string key, long now)
        {
            _select.Parameters[0].Value = key;
            _select.Parameters[1].Value = now;
            using var reader = _select.ExecuteReader();
            return reader.Read() ? ReadItem(reader) : null;
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
