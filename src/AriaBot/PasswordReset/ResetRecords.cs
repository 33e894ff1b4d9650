using BotRuntime.Builder;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.Logging;

namespace AriaBot.PasswordReset;

/// <summary>Where a reset stands, as the chat sees it.</summary>
public enum ResetStatus
{
    /// <summary>The page has not changed the password (yet).</summary>
    Waiting,

    /// <summary>The password was changed through this reset's page.</summary>
    Completed,
}

/// <summary>
/// <c>reset/links/{sha256(state)}</c>: one reset asked for in one conversation by one chat user. The raw state exists
/// only in the link the chat showed; storage holds its hash.
/// </summary>
public sealed class ResetLinkRecord : IVerificationLink
{
    /// <summary>Random and not secret: log lines and the outbox job name the reset by it.</summary>
    public required string LinkId { get; init; }

    public required string ChannelId { get; init; }

    public required string ConversationId { get; init; }

    public required string ChatUserId { get; init; }

    public required TurnIngress Ingress { get; init; }

    public string? Locale { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set by the page once the password was changed: the link is used and the chat offers sign-in.</summary>
    public ResetStatus Status { get; set; }

    bool IVerificationLink.IsWaiting => Status == ResetStatus.Waiting;
}

/// <summary>
/// <c>reset/codes/{sha256(state)}</c>: the code e-mailed for a reset (written by the outbox job, only when the user id
/// exists, is active and has an address). Only a salted SHA-256 of the code is stored.
/// </summary>
public sealed class ResetCodeRecord : IVerificationCodeState
{
    public required long AccountNo { get; init; }

    [SecretData]
    public required string Salt { get; init; }

    [SecretData]
    public required string Hash { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public int WrongAttempts { get; set; }

    /// <summary>Too many wrong codes: this code never works again.</summary>
    public bool Locked { get; set; }

    /// <summary>A right code whose password change is under way or done: a second post with it is refused.</summary>
    public bool Used { get; set; }

    string? IVerificationCodeState.Salt => Salt;

    string? IVerificationCodeState.Hash => Hash;

    DateTimeOffset? IVerificationCodeState.ExpiresAt => ExpiresAt;

    bool IVerificationCodeState.IsLocked => Locked;

    bool IVerificationCodeState.IsSpent => Used;

    void IVerificationCodeState.Lock() => Locked = true;

    void IVerificationCodeState.Spend() => Used = true;

    public override string ToString() => $"ResetCodeRecord {{ AccountNo = {AccountNo}, WrongAttempts = {WrongAttempts}, Locked = {Locked}, Used = {Used} }}";
}

/// <summary>
/// <c>reset/email-changes/{account}</c>: the address an account had before its e-mail was last changed through the bot,
/// so that a code also goes there for <see cref="PasswordResetOptions.PreviousAddressWindow"/>.
/// </summary>
public sealed class EmailChangeRecord
{
    public required string PreviousAddress { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>The outbox job's payload: no secret (the code is made when the job runs).</summary>
public sealed record ResetCodeJob(string LinkHash, string LinkId, string UserId, string? Locale);
