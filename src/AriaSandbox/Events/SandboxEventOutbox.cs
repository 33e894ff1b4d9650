using System.Net.Http.Headers;
using System.Threading.Channels;
using Aria.Sandbox.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aria.Sandbox.Events;

/// <summary>
/// The sandbox's outgoing event notifications: documents are added under the state lock (so they are
/// numbered in the order things happened) and sent by one background loop, one at a time and in order,
/// never inside the Aria call that caused them. A failed POST (non-2xx, timeout, connection refused) is
/// retried after <see cref="SandboxEventsOptions.RetryDelay"/>, doubling, up to
/// <see cref="SandboxEventsOptions.MaxAttempts"/>; later documents wait for it, as a receiver that
/// de-duplicates and orders by transaction id expects. Everything stays in memory for inspection.
/// </summary>
internal sealed partial class SandboxEventOutbox : IDisposable
{
    public const string HttpClientName = "AriaSandboxEvents";

    private readonly List<SandboxEvent> _all = [];
    private readonly Channel<SandboxEvent> _queue = Channel.CreateUnbounded<SandboxEvent>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _host;
    private readonly SandboxEventsOptions _options;
    private readonly ILogger<SandboxEventOutbox> _logger;
    private long _lastTransactionId;
    private Task? _pump;

    public SandboxEventOutbox(IHttpClientFactory http, TimeProvider host, IOptions<AriaSandboxOptions> options, ILogger<SandboxEventOutbox> logger)
    {
        _http = http;
        _host = host;
        _options = options.Value.SandboxEvents;
        _logger = logger;

        // Ids go on from the host clock (milliseconds × 1000), so that a restarted sandbox never reuses one
        // that a receiver has already de-duplicated.
        _lastTransactionId = host.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    public bool Enabled => _options.Target is not null;

    public IReadOnlyList<SandboxEvent> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Makes a document per event and queues it. The caller holds the state lock.</summary>
    public int Add(SandboxState state, SandboxClient client, IEnumerable<RawEvent> events, string? clientReceiptId, DateTimeOffset at)
    {
        if (!Enabled)
        {
            return 0;
        }

        var added = 0;
        foreach (var e in events)
        {
            var transactionId = Interlocked.Increment(ref _lastTransactionId);
            var document = EventDocument.Build(state, client, e, transactionId, clientReceiptId);
            var (contentType, body) = _options.Format == SandboxEventFormat.NameValue
                ? ("application/x-www-form-urlencoded", FormBody(EventDocument.Pairs(document)))
                : ("text/xml", EventDocument.Xml(document));
            var record = new SandboxEvent(transactionId, e.AcctNo, e.Class, e.EventId, e.Label, clientReceiptId, at, contentType, body);
            lock (_all)
            {
                _all.Add(record);
            }

            _queue.Writer.TryWrite(record);
            added++;
        }

        if (added > 0)
        {
            EnsurePump();
        }

        return added;
    }

    /// <summary>Forgets the documents made so far (sandbox reset); one being sent may still arrive.</summary>
    public void Clear()
    {
        lock (_all)
        {
            _all.Clear();
        }

        while (_queue.Reader.TryRead(out _))
        {
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: the loop may still be unwinding with its token.
        _stop.Cancel();
        _queue.Writer.TryComplete();
    }

    private void EnsurePump()
    {
        lock (_queue)
        {
            _pump ??= Task.Run(() => PumpAsync(_stop.Token));
        }
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                await DeliverAsync(record, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Host shutting down: what is pending stays pending.
        }
    }

    private async Task DeliverAsync(SandboxEvent record, CancellationToken stop)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            var error = await PostAsync(record, stop).ConfigureAwait(false);
            lock (_all)
            {
                record.Attempts = attempt;
                record.LastError = error;
                record.Status = error is null ? SandboxEventStatus.Delivered : attempt == _options.MaxAttempts ? SandboxEventStatus.Failed : SandboxEventStatus.Pending;
            }

            if (error is null)
            {
                return;
            }

            LogFailed(_logger, record.TransactionId, record.EventId, attempt, _options.MaxAttempts, error);
            if (attempt < _options.MaxAttempts)
            {
                await Task.Delay(delay, _host, stop).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    /// <summary>Null when the receiver took it (2xx); otherwise why not. The receiver's answer is never read or logged.</summary>
    private async Task<string?> PostAsync(SandboxEvent record, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _host);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            using var content = new StringContent(record.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(record.ContentType) { CharSet = "utf-8" };
            using var client = _http.CreateClient(HttpClientName);
            using var response = await client.PostAsync(_options.Target, content, both.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (HttpRequestException ex)
        {
            return ex.HttpRequestError.ToString();
        }
    }

    private static string FormBody(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    [LoggerMessage(EventId = 7210, Level = LogLevel.Warning, Message = "Aria sandbox event {TransactionId} ({EventId}) not delivered, attempt {Attempt} of {MaxAttempts}: {Error}")]
    private static partial void LogFailed(ILogger logger, long transactionId, int eventId, int attempt, int maxAttempts, string error);
}
