namespace BotRuntime.State;

/// <summary>
/// A store that keeps older copies of rewritten rows outside its main file for a while (SQLite's write-ahead log) and
/// can be asked to drop them. Used after rewriting rows so that no older copy survives — the one-time redaction of
/// what earlier versions stored as typed — and by the store itself when it is disposed.
/// </summary>
public interface IStorageCheckpoint
{
    /// <summary>
    /// Moves every committed write into the main file and empties the log. Returns false when a reader or writer in
    /// another connection kept it from finishing (the log then still holds older frames; a later checkpoint retries).
    /// </summary>
    Task<bool> CheckpointAsync(CancellationToken cancellationToken = default);
}
