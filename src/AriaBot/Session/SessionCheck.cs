namespace AriaBot.Session;

/// <summary>What the turn's session check found.</summary>
public enum SessionStatus
{
    /// <summary>Aria validated the bound session; <see cref="SessionCheck.AccountNo"/> is the account to act on.</summary>
    SignedIn,

    /// <summary>No session is bound to this chat user in this conversation: offer sign-in.</summary>
    NotSignedIn,

    /// <summary>Aria answered 1011 (invalid or expired); the binding is gone. Sign in again, then resume.</summary>
    Expired,

    /// <summary>A group conversation (Teams group chat or channel, Slack channel): sessions never bind here.</summary>
    GroupConversation,

    /// <summary>Aria could not be asked (down, timed out, or refused this host): act on nothing, say so.</summary>
    Unavailable,
}

/// <summary>
/// The outcome of <see cref="IAccountSession.CheckAsync"/>. <see cref="AccountNo"/> and <see cref="AriaUserId"/>
/// come from Aria's <c>validate_session_m</c> reply, never from anything the user typed.
/// </summary>
public sealed record SessionCheck(SessionStatus Status, long? AccountNo = null, string? AriaUserId = null)
{
    public static SessionCheck NotSignedIn { get; } = new(SessionStatus.NotSignedIn);

    public static SessionCheck Expired { get; } = new(SessionStatus.Expired);

    public static SessionCheck GroupConversation { get; } = new(SessionStatus.GroupConversation);

    public static SessionCheck Unavailable { get; } = new(SessionStatus.Unavailable);

    public static SessionCheck SignedIn(long accountNo, string ariaUserId) => new(SessionStatus.SignedIn, accountNo, ariaUserId);

    public bool IsSignedIn => Status == SessionStatus.SignedIn && AccountNo is not null;

    /// <summary>
    /// True when signed in to <paramref name="accountNo"/>. A dialog remembers the account it began with and ends,
    /// writing nothing, when a later turn's check names another account (invariant 1, docs/invariants.md).
    /// </summary>
    public bool IsAccount(long accountNo) => IsSignedIn && AccountNo == accountNo;
}
