using Microsoft.Data.Sqlite;

namespace BotRuntime.State;

/// <summary>
/// Emptying the write-ahead log. With <c>secure_delete</c> a rewritten row leaves nothing in the main file, but the WAL
/// keeps every frame written since its last reset until a checkpoint truncates it — and the writer's and readers' kept
/// connections mean the file is never "last closed" (which is when SQLite would checkpoint and delete it by itself)
/// while any store on it lives. So the store truncates it when asked (after a redaction) and when it is disposed.
/// </summary>
public sealed partial class SqliteStorage : IStorageCheckpoint
{
    private const string TruncateCheckpoint = "PRAGMA wal_checkpoint(TRUNCATE)";

    public Task<bool> CheckpointAsync(CancellationToken cancellationToken = default) => InsideAsync(async () =>
    {
        await _initialized.Value.ConfigureAwait(false);
        // After the writes queued before this call: a write still in the queue would otherwise land in the log after it.
        await WhenQueuedWritesDoneAsync().ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = TruncateCheckpoint;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        // One row: busy (1 when it could not finish), frames in the log, frames checkpointed.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) == 0;
    });

    /// <summary>Waits until the writes queued before the call are committed (or failed): an empty write is queued behind them.</summary>
    private async Task WhenQueuedWritesDoneAsync()
    {
        var barrier = new PendingWrite([], CancellationToken.None);
        Enqueue(barrier);
        await barrier.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Best effort at dispose, on the writer's own connection, before it closes.</summary>
    private static void TryCheckpoint(SqliteConnection connection)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = TruncateCheckpoint;
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Disposing must not throw (the container is shutting down); the next start or checkpoint retries.
        }
    }

    /// <summary>Best effort at dispose when the writer never opened its connection: on one opened for it alone and closed.</summary>
    private static void CheckpointOnce(string connectionString)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            connection.Open();
            using (var timeout = connection.CreateCommand())
            {
                timeout.CommandText = "PRAGMA busy_timeout = 30000";
                timeout.ExecuteNonQuery();
            }
            TryCheckpoint(connection);
        }
        catch (SqliteException)
        {
            // As above: disposing must not throw.
        }
    }
}
