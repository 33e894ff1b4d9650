using System.Diagnostics;
using BotRuntime.State;

namespace BotRuntime.Telemetry;

/// <summary>
/// A span and metrics around every call to the state store. Records the operation, the store, how many keys and the
/// kind of the first key (<see cref="BotTelemetry.KeyKind"/>) — never a key, a document or an eTag.
/// </summary>
public sealed class InstrumentedStorage(IStorage inner, string system, TimeProvider timeProvider) : IStorage, IStorageCheckpoint, IDisposable, IAsyncDisposable
{
    /// <summary>Disposes the store underneath when it holds resources (SQLite's writer and reader connections).</summary>
    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>
    /// What the container calls when the host is disposed (it prefers this to <see cref="Dispose"/>): the store underneath
    /// has finished with its files when this completes.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }
        (inner as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Passed to the store underneath; a store that keeps no older copies of rows (memory) has nothing to do.</summary>
    public Task<bool> CheckpointAsync(CancellationToken cancellationToken = default) =>
        inner is IStorageCheckpoint checkpoint ? checkpoint.CheckpointAsync(cancellationToken) : Task.FromResult(true);

    /// <summary>The store underneath (tests and diagnostics).</summary>
    public IStorage Inner => inner;

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        TraceAsync("read", keys?.Count ?? 0, keys?.FirstOrDefault(), () => inner.ReadAsync(keys!, cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default) =>
        TraceAsync("write", changes?.Count ?? 0, changes?.Keys.FirstOrDefault(), () => inner.WriteAsync(changes!, cancellationToken));

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        TraceAsync("delete", keys?.Count ?? 0, keys?.FirstOrDefault(), async () =>
        {
            await inner.DeleteAsync(keys!, cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
        TraceAsync("read_prefix", 1, prefix, () => inner.ReadPrefixAsync(prefix, limit, cancellationToken));

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) =>
        TraceAsync("purge", 0, null, () => inner.PurgeExpiredAsync(cancellationToken));

    private async Task<T> TraceAsync<T>(string operation, int keyCount, string? firstKey, Func<Task<T>> call)
    {
        var kind = firstKey is null ? "none" : BotTelemetry.KeyKind(firstKey);
        using var activity = BotTelemetry.Source.StartActivity("storage " + operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", system);
        activity?.SetTag("db.operation.name", operation);
        activity?.SetTag("ariabot.storage.key_kind", kind);
        activity?.SetTag("ariabot.storage.key_count", keyCount);
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await call().ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (StorageConflictException)
        {
            // An expected answer of optimistic concurrency, not a failure of the store.
            outcome = "conflict";
            throw;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("ariabot.storage.outcome", outcome);
            var tags = new TagList { { "db.system.name", system }, { "db.operation.name", operation }, { "ariabot.storage.outcome", outcome } };
            BotTelemetry.StorageCalls.Add(1, tags);
            BotTelemetry.StorageDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
