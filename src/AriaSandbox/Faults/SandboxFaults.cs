namespace Aria.Sandbox.Faults;

/// <summary>What an injected fault does to a call.</summary>
public enum FaultKind
{
    /// <summary>Answer <c>error_code</c> N without doing anything.</summary>
    ErrorCode,

    /// <summary>Answer an HTTP status (e.g. 503) instead of Aria JSON, without doing anything.</summary>
    HttpStatus,

    /// <summary>Never answer (until the caller gives up); nothing is done.</summary>
    Timeout,

    /// <summary>Do the call (a write commits) and then drop the connection: the caller never sees the reply.</summary>
    LoseResponse,
}

/// <summary>A fault for the next <see cref="Remaining"/> calls of <see cref="RestCall"/> (null = any call).</summary>
public sealed record SandboxFault(FaultKind Kind, string? RestCall, int Remaining, long ErrorCode = 0, int HttpStatus = 0, string? Message = null);

/// <summary>
/// Fault injection (Development only, like the whole sandbox): latency on every call, and
/// one-shot faults for the next N calls of a given <c>rest_call</c>. Set through
/// <see cref="AriaSandbox"/> in tests or the admin endpoint.
/// </summary>
public sealed class SandboxFaults
{
    private readonly List<SandboxFault> _faults = [];
    private readonly Lock _gate = new();

    /// <summary>Added before every call (real time: it simulates the network, not Aria's clock).</summary>
    public TimeSpan Latency { get; set; }

    public IReadOnlyList<SandboxFault> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    public void Add(SandboxFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Remaining < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fault), "A fault applies to at least one call.");
        }

        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    public void FailNext(string restCall, long errorCode, int count = 1, string? message = null) =>
        Add(new SandboxFault(FaultKind.ErrorCode, restCall, count, ErrorCode: errorCode, Message: message));

    public void HttpStatusNext(string? restCall, int status, int count = 1) =>
        Add(new SandboxFault(FaultKind.HttpStatus, restCall, count, HttpStatus: status));

    public void TimeoutNext(string? restCall, int count = 1) => Add(new SandboxFault(FaultKind.Timeout, restCall, count));

    public void LoseResponseNext(string? restCall, int count = 1) => Add(new SandboxFault(FaultKind.LoseResponse, restCall, count));

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
            Latency = TimeSpan.Zero;
        }
    }

    /// <summary>Takes one use of the first fault matching <paramref name="restCall"/>.</summary>
    internal SandboxFault? Take(string restCall)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.RestCall is null || f.RestCall == restCall);
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Remaining <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            }

            return fault;
        }
    }
}
