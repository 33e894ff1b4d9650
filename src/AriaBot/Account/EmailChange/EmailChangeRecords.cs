using AriaBot.SignIn.VerificationCodes;
using BotRuntime.Builder;
using BotRuntime.Logging;
using BotRuntime.Schema;

namespace AriaBot.Account.EmailChange;

/// <summary>Where a change of the account e-mail stands.</summary>
public enum EmailChangeStatus
{
    /// <summary>The code was (or is about to be) sent to the new address; the page waits for it.</summary>
    Waiting,

    /// <summary>The right code was entered on the page: the chat may now write the new address (once).</summary>
    Verified,

    /// <summary>Too many wrong codes: this change never goes ahead; the customer asks again.</summary>
    Locked,

    /// <summary>Written, declined or abandoned after verification: the link is spent.</summary>
    Ended,
}

/// <summary>
/// <c>emailchange/links/{sha256(state)}</c>: one change of the account e-mail asked for by one chat user. The raw state
/// exists only in the link the chat showed. The code exists in clear only in the e-mail to the new address; this record
/// holds its salted hash, written by the outbox job that sends it.
/// </summary>
public sealed class EmailChangeRecord : IVerificationLink, IVerificationCodeState
{
    /// <summary>Random and not secret: log lines and the outbox jobs name the change by it.</summary>
    public required string LinkId { get; init; }

    public required string ChannelId { get; init; }

    public required string ConversationId { get; init; }

    public required string ChatUserId { get; init; }

    public required TurnIngress Ingress { get; init; }

    public string? Locale { get; init; }

    /// <summary>The account Aria validated when the change was asked for.</summary>
    public required long AccountNo { get; init; }

    public required string OldAddress { get; init; }

    public required string NewAddress { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Where the page's "confirmed" notice goes (the conversation that asked).</summary>
    public ConversationReference? Reference { get; init; }

    public EmailChangeStatus Status { get; set; }

    [SecretData]
    public string? CodeSalt { get; set; }

    [SecretData]
    public string? CodeHash { get; set; }

    public DateTimeOffset? CodeExpiresAt { get; set; }

    public int WrongAttempts { get; set; }

    bool IVerificationLink.IsWaiting => Status == EmailChangeStatus.Waiting;

    string? IVerificationCodeState.Salt => CodeSalt;

    string? IVerificationCodeState.Hash => CodeHash;

    DateTimeOffset? IVerificationCodeState.ExpiresAt => CodeExpiresAt;

    bool IVerificationCodeState.IsLocked => Status == EmailChangeStatus.Locked;

    bool IVerificationCodeState.IsSpent => Status is EmailChangeStatus.Verified or EmailChangeStatus.Ended;

    void IVerificationCodeState.Lock() => Status = EmailChangeStatus.Locked;

    /// <summary>Verified: the hash has done its work, and a verified change keeps no trace of its code.</summary>
    void IVerificationCodeState.Spend()
    {
        Status = EmailChangeStatus.Verified;
        CodeHash = null;
        CodeSalt = null;
    }

    public override string ToString() => $"EmailChangeRecord {{ LinkId = {LinkId}, Status = {Status}, WrongAttempts = {WrongAttempts} }}";
}

/// <summary>The code job's payload: no secret (the code is made when the job runs).</summary>
public sealed record EmailChangeCodeJob(string LinkHash, string LinkId);

/// <summary>What the old address's "done" notice needs beyond the write record: its language (stored before the write).</summary>
public sealed class EmailChangeWrite
{
    public string? Locale { get; set; }
}
