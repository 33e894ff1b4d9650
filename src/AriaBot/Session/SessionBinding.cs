using BotRuntime.Builder;
using BotRuntime.Logging;

namespace AriaBot.Session;

/// <summary>How a binding came to be.</summary>
public enum SessionBindingSource
{
    /// <summary>The customer signed in on the sign-in page and typed the code in chat.</summary>
    SignIn,

    /// <summary>The portal's server handed over the customer's Aria session (web chat inside the portal).</summary>
    Portal,
}

/// <summary>
/// Which Aria session belongs to a chat user, kept server-side only (<see cref="ISessionBindings"/>). The session
/// id is a secret: it is never logged, never put into a token, a transcript or an agent's view, and
/// <see cref="ToString"/> leaves it out.
/// </summary>
public sealed class SessionBinding
{
    [SecretData]
    public required string AriaSessionId { get; init; }

    /// <summary>The account Aria returned when the session was validated at binding time.</summary>
    public required long AccountNo { get; init; }

    /// <summary>The Aria login (<c>user_id</c>) Aria returned for the session.</summary>
    public required string AriaUserId { get; init; }

    public required DateTimeOffset BoundAt { get; init; }

    public SessionBindingSource Source { get; init; }

    /// <summary>
    /// The ingress that authenticated the chat user when the binding was made (the sign-in code's turn, or the
    /// portal's token or registration). The binding answers only turns from that same ingress
    /// (<see cref="StorageSessionBindings.GetAsync"/>). Null on bindings stored before it was recorded: those are
    /// never trusted, and the customer signs in again.
    /// </summary>
    public TurnIngress? Ingress { get; init; }

    /// <summary>
    /// Self-hosted Direct Line only: the opaque binding id the portal's token carries (<c>bid</c>). A turn of this
    /// conversation must carry the same id in its identity, so the binding is used only through that token.
    /// </summary>
    public string? DirectLineBindingId { get; init; }

    /// <summary>
    /// When the Aria session was created or last extended (<c>keep_alive_m</c>), as far as this bot knows; the next
    /// turn that checks the session extends it once <see cref="AriaSessionOptions.KeepAliveAfter"/> has passed since.
    /// Null when the bot cannot know: a portal's session may be older than its binding, so its first check extends it.
    /// </summary>
    public DateTimeOffset? ExtendedAt { get; init; }

    /// <summary>
    /// When the customer last had a turn in this conversation (renewed at most once a minute); the binding expires
    /// <c>SignIn:BindingLifetime</c> after it (sliding), and never later than <c>SignIn:AbsoluteBindingLifetime</c>
    /// after <see cref="BoundAt"/>. Null: no turn since binding (and bindings stored before this existed).
    /// </summary>
    public DateTimeOffset? ActiveAt { get; set; }

    /// <summary>The same binding, extended at <paramref name="extendedAt"/>.</summary>
    public SessionBinding WithExtendedAt(DateTimeOffset extendedAt) => new()
    {
        AriaSessionId = AriaSessionId,
        AccountNo = AccountNo,
        AriaUserId = AriaUserId,
        BoundAt = BoundAt,
        Source = Source,
        Ingress = Ingress,
        DirectLineBindingId = DirectLineBindingId,
        ExtendedAt = extendedAt,
        ActiveAt = ActiveAt,
    };

    public override string ToString() => $"SessionBinding {{ AccountNo = {AccountNo}, Source = {Source}, Ingress = {Ingress}, BoundAt = {BoundAt:O}, ExtendedAt = {ExtendedAt:O} }}";
}
