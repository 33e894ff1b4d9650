namespace Aria.Sandbox.Events;

/// <summary>
/// One event notification document the sandbox made, and how its delivery went. <see cref="Body"/>
/// carries the client's auth key: it is for in-process tests only, never listed by the admin endpoint.
/// </summary>
public sealed class SandboxEvent
{
    internal SandboxEvent(long transactionId, long acctNo, char eventClass, int eventId, string eventLabel, string? clientReceiptId, DateTimeOffset createdAt, string contentType, string body)
    {
        TransactionId = transactionId;
        AcctNo = acctNo;
        Class = eventClass;
        EventId = eventId;
        EventLabel = eventLabel;
        ClientReceiptId = clientReceiptId;
        CreatedAt = createdAt;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>Unique and increasing across the documents of this sandbox, and across restarts (it starts from the host clock).</summary>
    public long TransactionId { get; }

    public long AcctNo { get; }

    /// <summary><c>A</c> account and master plan instance, <c>T</c> financial transaction.</summary>
    public char Class { get; }

    public int EventId { get; }

    public string EventLabel { get; }

    public string? ClientReceiptId { get; }

    /// <summary>Simulated time when the event happened.</summary>
    public DateTimeOffset CreatedAt { get; }

    public string ContentType { get; }

    public string Body { get; }

    public SandboxEventStatus Status { get; internal set; }

    /// <summary>POSTs tried so far.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Why the last attempt failed (an HTTP status or "timeout"), never the receiver's body.</summary>
    public string? LastError { get; internal set; }
}

public enum SandboxEventStatus
{
    Pending,
    Delivered,

    /// <summary>Every attempt failed; the sandbox gives up (Aria logs such a notification as failed).</summary>
    Failed,
}
