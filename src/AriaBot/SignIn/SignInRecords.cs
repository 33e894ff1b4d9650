using BotRuntime.Builder;
using BotRuntime.Logging;

namespace AriaBot.SignIn;

/// <summary>
/// One sign-in link, stored under <c>signin/links/{sha256(state)}</c>: the raw state exists only in the link the
/// user got, so storage alone cannot open the page. Filled in by the page when the customer signs in.
/// </summary>
internal sealed class SignInLinkRecord
{
    /// <summary>A random, non-secret id for log correlation.</summary>
    public required string LinkId { get; init; }

    public required string ChannelId { get; init; }

    public required string ConversationId { get; init; }

    public required string UserId { get; init; }

    /// <summary>
    /// The ingress the chat user asked for the link through: the code binds only in a turn from that same ingress.
    /// Null on links stored before it was recorded, which are never redeemed.
    /// </summary>
    public TurnIngress? Ingress { get; init; }

    /// <summary>The conversation's locale, so the page speaks the chat's language.</summary>
    public string? Locale { get; init; }

    /// <summary>Where the page's "forgot password" button starts the reset (the chat that asked); null on older links.</summary>
    public BotRuntime.Schema.ConversationReference? Reference { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the page signed the customer in and showed the code; the link is used from then on.</summary>
    public DateTimeOffset? SignedInAt { get; set; }

    public DateTimeOffset? CodeExpiresAt { get; set; }

    public string? CodeSalt { get; set; }

    /// <summary>SHA-256 of salt and code; the code itself is never stored.</summary>
    public string? CodeHash { get; set; }

    public int WrongCodes { get; set; }

    [SecretData]
    public string? AriaSessionId { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsUsed => SignedInAt is not null;

    public override string ToString() => $"SignInLink {{ LinkId = {LinkId}, ExpiresAt = {ExpiresAt:O}, Used = {IsUsed} }}";
}

/// <summary>The link a chat user is waiting on, under <c>signin/pending/{channel}/{conversation}/{user}</c>.</summary>
internal sealed class PendingSignIn
{
    /// <summary>The storage key of the link record (a hash of the state, not the state).</summary>
    public required string LinkKey { get; init; }

    public required string LinkId { get; init; }
}
