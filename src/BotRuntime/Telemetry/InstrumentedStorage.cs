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
        Observed ? TraceAsync(Operation.Read, keys, static (store, keys, token) => store.ReadAsync(keys, token), cancellationToken) : inner.ReadAsync(keys, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default) =>
        Observed ? TraceAsync(Operation.Write, changes, static (store, changes, token) => store.WriteAsync(changes, token), cancellationToken) : inner.WriteAsync(changes, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        Observed
            ? TraceAsync(Operation.Delete, keys, static async (store, keys, token) =>
            {
                await store.DeleteAsync(keys, token).ConfigureAwait(false);
                return true;
            }, cancellationToken)
            : inner.DeleteAsync(keys, cancellationToken);

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
        Observed
            ? TraceAsync(Operation.ReadPrefix, (prefix, limit), static (store, call, token) => store.ReadPrefixAsync(call.prefix, call.limit, token), cancellationToken)
            : inner.ReadPrefixAsync(prefix, limit, cancellationToken);

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) =>
        Observed ? TraceAsync(Operation.Purge, 0, static (store, _, token) => store.PurgeExpiredAsync(token), cancellationToken) : inner.PurgeExpiredAsync(cancellationToken);

    /// <summary>
    /// False when nothing listens to the runtime's spans or storage metrics: the call then goes straight to the store,
    /// with no wrapper, closure or timestamp (issue 22: this wrapper ran on every storage call of every turn).
    /// </summary>
    private static bool Observed =>
        BotTelemetry.Source.HasListeners() || BotTelemetry.StorageCalls.Enabled || BotTelemetry.StorageDuration.Enabled;

    /// <summary>One storage operation: its span name and tag value, made once rather than per call.</summary>
    private sealed record Operation(string Name, string SpanName)
    {
        public static readonly Operation Read = new("read", "storage read");
        public static readonly Operation Write = new("write", "storage write");
        public static readonly Operation Delete = new("delete", "storage delete");
        public static readonly Operation ReadPrefix = new("read_prefix", "storage read_prefix");
        public static readonly Operation Purge = new("purge", "storage purge");
    }

    private async Task<T> TraceAsync<TArgument, T>(Operation operation, TArgument argument, Func<IStorage, TArgument, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var activity = BotTelemetry.Source.StartActivity(operation.SpanName, ActivityKind.Client);
        // Tags only for a span someone records: a propagation-only span (sampled out) drops them anyway.
        if (activity is { IsAllDataRequested: true })
        {
            var (keyCount, firstKey) = Describe(argument);
            activity.SetTag("db.system.name", system);
            activity.SetTag("db.operation.name", operation.Name);
            activity.SetTag("ariabot.storage.key_kind", firstKey is null ? "none" : BotTelemetry.KeyKind(firstKey));
            activity.SetTag("ariabot.storage.key_count", keyCount);
        }
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await call(inner, argument, cancellationToken).ConfigureAwait(false);
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
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("ariabot.storage.outcome", outcome);
            }
            if (BotTelemetry.StorageCalls.Enabled || BotTelemetry.StorageDuration.Enabled)
            {
                var tags = new TagList { { "db.system.name", system }, { "db.operation.name", operation.Name }, { "ariabot.storage.outcome", outcome } };
                BotTelemetry.StorageCalls.Add(1, tags);
                BotTelemetry.StorageDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <summary>How many keys the call names and the first of them (only its kind is recorded).</summary>
    private static (int Count, string? First) Describe<TArgument>(TArgument argument) => argument switch
    {
        IReadOnlyCollection<string> keys => (keys.Count, keys.FirstOrDefault()),
        IReadOnlyDictionary<string, StoreWrite> changes => (changes.Count, changes.Keys.FirstOrDefault()),
        ValueTuple<string, int> prefix => (1, prefix.Item1),
        _ => (0, null),
    };
}
