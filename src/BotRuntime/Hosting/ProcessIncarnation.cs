using BotRuntime.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.Hosting;

/// <summary>
/// This process start, as other processes on the same state store see it: a random id, and a record
/// <c>incarnations/{id}</c> kept alive by a heartbeat with an expiry of <see cref="BotOptions.InstanceLease"/>. A turn
/// claimed by an incarnation whose record has expired was cut off by a crash; a turn of a live incarnation (this one
/// or another instance's) is never treated as one.
/// When the state store is a local SQLite file, each incarnation also holds an exclusive lock on a file beside it for as
/// long as it lives. The operating system drops that lock the moment the process ends, however it ends, so a successor
/// on the same file proves its predecessor gone at start-up instead of waiting for the heartbeat's lease to run out.
/// </summary>
public sealed partial class ProcessIncarnation(
    IStorage storage,
    IOptionsMonitor<BotOptions> options,
    IOptions<StateOptions> state,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<ProcessIncarnation> logger)
    : BackgroundService
{
    internal const string KeyPrefix = "incarnations/";
    private const string LockSuffix = ".lock";

    internal sealed class IncarnationRecord
    {
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset LeaseUntil { get; set; }
    }

    private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();

    /// <summary>Random per process start: a restarted process is a new incarnation even on the same machine.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    private readonly string? _lockDirectory = state.Value.Provider == "Sqlite"
        ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, state.Value.SqlitePath)) + ".incarnations"
        : null;

    private FileStream? _lock;

    /// <summary>Whether <paramref name="incarnation"/> may still be running: this process, or a record whose lease has not run out.</summary>
    public async Task<bool> IsAliveAsync(string incarnation, CancellationToken cancellationToken) =>
        await CheckAsync(incarnation, cancellationToken).ConfigureAwait(false) == IncarnationState.Alive;

    /// <summary>
    /// <see cref="IncarnationState.Ended"/> when the process is proven gone (its lock file is free), whatever its lease
    /// says; <see cref="IncarnationState.Lapsed"/> when it stopped renewing its heartbeat; otherwise alive.
    /// </summary>
    public async Task<IncarnationState> CheckAsync(string incarnation, CancellationToken cancellationToken)
    {
        if (string.Equals(incarnation, Id, StringComparison.Ordinal))
        {
            return IncarnationState.Alive;
        }
        if (IsLockFree(incarnation))
        {
            return IncarnationState.Ended;
        }
        // The store drops an expired record from reads: a missing one is a process that stopped renewing it.
        return await storage.ReadAsync<IncarnationRecord>(KeyPrefix + incarnation, cancellationToken).ConfigureAwait(false) is null
            ? IncarnationState.Lapsed
            : IncarnationState.Alive;
    }

    /// <summary>
    /// True only when <paramref name="incarnation"/> left a lock file here and nobody holds it any more. A missing file
    /// proves nothing: the process may run on another machine, or on a store without lock files.
    /// </summary>
    private bool IsLockFree(string incarnation)
    {
        if (_lockDirectory is null || incarnation.Length != 32 || !incarnation.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }
        var path = Path.Combine(_lockDirectory, incarnation + LockSuffix);
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }
            TryDelete(path);
            return true;
        }
        catch (IOException)
        {
            return false; // held: that process still runs
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void TakeLock()
    {
        if (_lockDirectory is null || _lock is not null)
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(_lockDirectory);
            // Kept after the process ends (also after a clean stop, whose interrupted turns it proves ended); a free file
            // older than any record that could name it is removed here.
            RemoveOldFreeLocks(_lockDirectory);
            _lock = new FileStream(Path.Combine(_lockDirectory, Id + LockSuffix), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Without the file only the lease tells this process's successors that it ended.
            LogLockFailed(logger, exception);
        }
    }

    private void RemoveOldFreeLocks(string directory)
    {
        var cutoff = timeProvider.GetUtcNow() - TimeSpan.FromDays(1);
        foreach (var file in Directory.EnumerateFiles(directory, "*" + LockSuffix))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
            {
                IsLockFree(Path.GetFileNameWithoutExtension(file)); // deletes it when free
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Another successor deleted it first, or it cannot be: either way its owner is gone.
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any turn can be claimed under this incarnation, so a successor never sees its turns without the lock.
        TakeLock();
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        base.Dispose();
    }

    /// <summary>Writes (or renews) this incarnation's record.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var leaseUntil = now + options.CurrentValue.InstanceLease;
        await storage.WriteAsync(KeyPrefix + Id, new IncarnationRecord { StartedAt = _startedAt, LeaseUntil = leaseUntil }, StoreWrite.AnyETag, leaseUntil, cancellationToken)
            .ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A store outage must not stop the host; turns claimed meanwhile are covered by their own lease.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogRenewFailed(logger, exception);
            }
            // Three renewals per lease: one lost write does not make a live process look dead.
            await Task.Delay(options.CurrentValue.InstanceLease / 3, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This process's lock file could not be taken; after a crash its turns are settled when its lease runs out")]
    private static partial void LogLockFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this process's incarnation record failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}

/// <summary>What is known of a process incarnation.</summary>
public enum IncarnationState
{
    /// <summary>This process, or one whose heartbeat is current and whose end is not proven.</summary>
    Alive,

    /// <summary>Its heartbeat record expired: it stopped renewing it.</summary>
    Lapsed,

    /// <summary>Proven gone at once: its lock file beside the local store is free.</summary>
    Ended,
}
