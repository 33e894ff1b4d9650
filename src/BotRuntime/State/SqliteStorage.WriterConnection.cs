using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotRuntime.State;

public sealed partial class SqliteStorage
{
    /// <summary>The writer's own connection (not pooled: nobody else may use it) and its prepared statements.</summary>
    private sealed class WriterConnection : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly List<sqlite3_stmt> _statements = [];
        private readonly sqlite3_stmt _begin;
        private readonly sqlite3_stmt _commit;
        private readonly sqlite3_stmt _rollback;
        private readonly sqlite3_stmt _select;
        private readonly sqlite3_stmt _upsert;

        private WriterConnection(SqliteConnection connection)
        {
            _connection = connection;
            try
            {
                _begin = Prepare("BEGIN IMMEDIATE");
                _commit = Prepare("COMMIT");
                _rollback = Prepare("ROLLBACK");
                _select = Prepare("SELECT etag FROM bot_state WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)");
                _upsert = Prepare("""
                    INSERT INTO bot_state (key, etag, document, expires_at) VALUES (?1, ?2, ?3, ?4)
                    ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, expires_at = excluded.expires_at
                    """);
            }
            catch
            {
                DisposeStatements();
                throw;
            }
        }

        public static WriterConnection Open(string connectionString, Action configured) =>
            OpenOwnConnection(connectionString, configured, connection => new WriterConnection(connection));

        private sqlite3_stmt Prepare(string sql)
        {
            var statement = RawStatements.Prepare(_connection, sql);
            _statements.Add(statement);
            return statement;
        }

        /// <summary>
        /// One transaction for the whole batch. A write whose condition fails is given its conflict and skipped before
        /// any of its keys is written; any other failure rolls everything back and throws (the caller fails the batch).
        /// Returns how many stored eTags were looked up.
        /// </summary>
        public int Commit(List<PendingWrite> batch, long now)
        {
            var lookups = 0;
            RawStatements.Execute(_connection, _begin);
            try
            {
                foreach (var pending in batch)
                {
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        // Not yet written: the caller gave up before its turn in the queue, so it is not written at all.
                        pending.Failure = new OperationCanceledException(pending.CancellationToken);
                        continue;
                    }
                    pending.Failure = Check(pending.Changes, now, ref lookups);
                    if (pending.Failure is null)
                    {
                        foreach (var change in pending.Changes)
                        {
                            Upsert(change);
                        }
                    }
                }
                RawStatements.Execute(_connection, _commit);
                return lookups;
            }
            catch
            {
                if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                {
                    // Still inside the transaction (COMMIT itself did not end it): undo the batch.
                    RawStatements.Execute(_connection, _rollback);
                }
                throw;
            }
        }

        private void Upsert(PreparedChange change)
        {
            raw.sqlite3_bind_text(_upsert, 1, change.Key);
            raw.sqlite3_bind_text(_upsert, 2, change.ETag);
            // The element's own UTF-8 (what GetRawText transcoded to a string before), stored as the row's text.
            raw.sqlite3_bind_text(_upsert, 3, change.Write.Utf8);
            if (change.ExpiresMs is { } expires)
            {
                raw.sqlite3_bind_int64(_upsert, 4, expires);
            }
            else
            {
                raw.sqlite3_bind_null(_upsert, 4);
            }
            RawStatements.Execute(_connection, _upsert);
        }

        private StorageConflictException? Check(PreparedChange[] changes, long now, ref int lookups)
        {
            foreach (var change in changes)
            {
                if (change.Expected == StoreWrite.AnyETag)
                {
                    // Any version will do (a done record, a marker's end): no statement to learn which one is stored.
                    continue;
                }
                lookups++;
                bool exists, ok;
                try
                {
                    raw.sqlite3_bind_text(_select, 1, change.Key);
                    raw.sqlite3_bind_int64(_select, 2, now);
                    exists = RawStatements.Step(_connection, _select);
                    // Compared as the file's bytes: no string of the stored eTag per checked key.
                    ok = change.Expected is null ? !exists : exists && RawStatements.TextEquals(raw.sqlite3_column_blob(_select, 0), change.Expected);
                }
                finally
                {
                    raw.sqlite3_reset(_select);
                }
                if (!ok)
                {
                    return new StorageConflictException(change.Key, change.Expected, exists);
                }
            }
            return null;
        }

        public void Checkpoint() => TryCheckpoint(_connection);

        public void Dispose()
        {
            // Statements first: a connection closed with a statement still open only closes when that one is finalized.
            DisposeStatements();
            _connection.Dispose();
        }

        private void DisposeStatements()
        {
            foreach (var statement in _statements)
            {
                statement.Dispose();
            }
            _statements.Clear();
        }
    }
}
