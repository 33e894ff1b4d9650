using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Email;

/// <summary>What a job's handler made of one attempt.</summary>
public enum OutboxJobOutcome
{
    /// <summary>Finished (including "nothing to do"): the job is removed.</summary>
    Done,

    /// <summary>Try again later (SMTP or Aria unavailable), with back-off, up to <see cref="EmailOptions.OutboxMaxAttempts"/>.</summary>
    Retry,
}

/// <summary>
/// One kind of queued work. The handler runs outside any turn, possibly on another instance and more than once (a
/// crash after the work and before the job is removed repeats it), so it must be safe to repeat. Throwing counts as
/// <see cref="OutboxJobOutcome.Retry"/>.
/// </summary>
public interface IOutboxJobHandler
{
    string Kind { get; }

    Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken);
}

/// <summary>
/// A queued job, stored at <c>outbox/jobs/{id}</c>. The payload is stored as it is: never put a secret in it (a code is
/// made by the handler when it runs, and exists only in the e-mail).
/// </summary>
public sealed class OutboxJob
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required JsonElement Payload { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it may run next; while it runs, the end of its lease (another instance leaves it alone until then).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    public T PayloadAs<T>() => Payload.Deserialize<T>(StateJson.Options) ?? throw new JsonException($"Outbox job {Id} has no {typeof(T).Name} payload.");
}

/// <summary>
/// The durable outbox: work that must not hold up a chat reply (an Aria lookup, an e-mail) is written to the state store
/// and run by <see cref="OutboxSweep"/>, with retries and back-off, on whichever instance gets to it first (each run
/// takes a lease under the job's eTag). Generic: a job has a kind and a payload, and each kind has one
/// <see cref="IOutboxJobHandler"/>. Plain e-mails without secrets (notices) use <see cref="EnqueueEmailAsync"/>.
/// </summary>
public sealed partial class Outbox(IStorage storage, TimeProvider timeProvider, IOptionsMonitor<EmailOptions> options, IEnumerable<IOutboxJobHandler> handlers, ILogger<Outbox> logger)
{
    internal const string Prefix = "outbox/jobs/";

    /// <summary>How long a job is kept at most, whatever happens to it.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    /// <summary>How long a started attempt holds the job before another instance may take it over (a crashed run).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a job and wakes the sweep; returns its id. Only a storage write: it never waits on Aria or SMTP.</summary>
    public async Task<string> EnqueueAsync<TPayload>(string kind, TPayload payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var now = timeProvider.GetUtcNow();
        var job = new OutboxJob
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Kind = kind,
            Payload = JsonSerializer.SerializeToElement(payload, StateJson.Options),
            CreatedAt = now,
            DueAt = now,
        };
        await storage.WriteAsync(Prefix + job.Id, job, eTag: null, now + Lifetime, cancellationToken).ConfigureAwait(false);
        _wake.Writer.TryWrite(true);
        return job.Id;
    }

    /// <summary>
    /// Queues a job to run no earlier than <paramref name="dueAt"/> (a notice held by quiet hours). The job still lives
    /// at most three days from now; the caller keeps its delays within that.
    /// </summary>
    public async Task<string> EnqueueAtAsync<TPayload>(string kind, TPayload payload, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var (key, job) = NewJob(kind, payload, dueAt);
        await storage.WriteAsync(key, job, eTag: null, job.CreatedAt + Lifetime, cancellationToken).ConfigureAwait(false);
        _wake.Writer.TryWrite(true);
        return job.Id;
    }

    /// <summary>
    /// Queues a job only if <paramref name="onceKey"/> does not exist yet, creating that key in the same atomic write
    /// (kept until <paramref name="onceUntil"/>): a sender that repeats a request (an Aria event delivered twice) queues
    /// the work once, and a crash can never leave the marker without the job or the job without the marker.
    /// False when the key existed (nothing was queued).
    /// </summary>
    public async Task<bool> EnqueueOnceAsync<TPayload>(string kind, TPayload payload, string onceKey, DateTimeOffset onceUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(onceKey);
        var (key, job) = NewJob(kind, payload, dueAt: null);
        var marker = JsonSerializer.SerializeToElement(new { job.CreatedAt }, StateJson.Options);
        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite>
            {
                [onceKey] = new(marker, ETag: null, onceUntil),
                [key] = new(JsonSerializer.SerializeToElement(job, StateJson.Options), ETag: null, job.CreatedAt + Lifetime),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return false;
        }
        _wake.Writer.TryWrite(true);
        return true;
    }

    private (string Key, OutboxJob Job) NewJob<TPayload>(string kind, TPayload payload, DateTimeOffset? dueAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var now = timeProvider.GetUtcNow();
        var job = new OutboxJob
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Kind = kind,
            Payload = JsonSerializer.SerializeToElement(payload, StateJson.Options),
            CreatedAt = now,
            DueAt = dueAt is { } due && due > now ? due : now,
        };
        return (Prefix + job.Id, job);
    }

    /// <summary>Queues an e-mail that holds no secret (it is stored until sent).</summary>
    public Task<string> EnqueueEmailAsync(EmailMessage message, CancellationToken cancellationToken) =>
        EnqueueAsync(EmailJobHandler.JobKind, message, cancellationToken);

    /// <summary>Waits until a job is queued or <paramref name="timeout"/> passes.</summary>
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeProvider, timer.Token);
        var woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
        await Task.WhenAny(delay, woken).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Runs every job that is due now, one after another; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        var items = await storage.ReadPrefixAsync(Prefix, 200, cancellationToken).ConfigureAwait(false);
        foreach (var (key, item) in items)
        {
            var job = item.Document.Deserialize<OutboxJob>(StateJson.Options);
            if (job is null || job.DueAt > timeProvider.GetUtcNow())
            {
                continue;
            }
            if (await RunOneAsync(key, job, item.ETag, cancellationToken).ConfigureAwait(false))
            {
                ran++;
            }
        }
        return ran;
    }

    private async Task<bool> RunOneAsync(string key, OutboxJob job, string eTag, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        job.Attempts++;
        job.DueAt = now + Lease;
        string leased;
        try
        {
            leased = await storage.WriteAsync(key, job, eTag, job.CreatedAt + Lifetime, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Another instance took it first.
            return false;
        }

        var handler = handlers.FirstOrDefault(h => h.Kind == job.Kind);
        OutboxJobOutcome outcome;
        if (handler is null)
        {
            LogNoHandler(logger, job.Id, job.Kind);
            outcome = OutboxJobOutcome.Done;
        }
        else
        {
            try
            {
                outcome = await handler.RunAsync(job, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The exception's message may come from an SMTP server; only its type is logged.
                LogAttemptFailed(logger, job.Id, job.Kind, job.Attempts, exception.GetType().Name);
                outcome = OutboxJobOutcome.Retry;
            }
        }

        if (outcome == OutboxJobOutcome.Retry && job.Attempts < options.CurrentValue.OutboxMaxAttempts)
        {
            var delay = options.CurrentValue.OutboxRetryDelay * Math.Pow(2, job.Attempts - 1);
            job.DueAt = timeProvider.GetUtcNow() + (delay < MaxRetryDelay ? delay : MaxRetryDelay);
            await WriteBackAsync(key, job, leased, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (outcome == OutboxJobOutcome.Retry)
        {
            LogGaveUp(logger, job.Id, job.Kind, job.Attempts);
        }
        await storage.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private async Task WriteBackAsync(string key, OutboxJob job, string leased, CancellationToken cancellationToken)
    {
        try
        {
            await storage.WriteAsync(key, job, leased, job.CreatedAt + Lifetime, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Our lease ran out and another instance has the job now: it is theirs.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox job {JobId}: no handler for kind {Kind}; dropped")]
    private static partial void LogNoHandler(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox job {JobId} ({Kind}): attempt {Attempt} failed ({ErrorType}); it will be retried")]
    private static partial void LogAttemptFailed(ILogger logger, string jobId, string kind, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox job {JobId} ({Kind}): given up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string jobId, string kind, int attempts);
}

/// <summary>Sends a queued <see cref="EmailMessage"/> (kind <c>email</c>).</summary>
internal sealed class EmailJobHandler(IEmailSender sender) : IOutboxJobHandler
{
    public const string JobKind = "email";

    public string Kind => JobKind;

    public async Task<OutboxJobOutcome> RunAsync(OutboxJob job, CancellationToken cancellationToken)
    {
        await sender.SendAsync(job.PayloadAs<EmailMessage>(), cancellationToken).ConfigureAwait(false);
        return OutboxJobOutcome.Done;
    }
}

/// <summary>Runs the outbox: at once when a job is queued on this instance, and every <see cref="EmailOptions.OutboxPollInterval"/>.</summary>
internal sealed partial class OutboxSweep(Outbox outbox, IOptionsMonitor<EmailOptions> options, TimeProvider timeProvider, ILogger<OutboxSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.RunDueAsync(stoppingToken).ConfigureAwait(false);
                await outbox.WaitForWorkAsync(options.CurrentValue.OutboxPollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is StorageConflictException or JsonException or InvalidOperationException or IOException)
            {
                LogSweepFailed(logger, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox sweep failed ({ErrorType}); trying again")]
    private static partial void LogSweepFailed(ILogger logger, string errorType);
}
