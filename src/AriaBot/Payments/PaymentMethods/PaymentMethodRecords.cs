using BotRuntime.Builder;
using BotRuntime.Schema;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// One payment-method link, stored under <c>paymethods/links/{sha256(state)}</c>: the raw state exists only in the
/// link the customer got. Holds no card data, ever: the card goes from the page's post straight to Aria.
/// </summary>
internal sealed class PaymentMethodLinkRecord
{
    /// <summary>A random, non-secret id for log correlation.</summary>
    public required string LinkId { get; init; }

    public required string ChannelId { get; init; }

    public required string ConversationId { get; init; }

    public required string UserId { get; init; }

    /// <summary>The ingress the chat user asked through: the page uses only the binding made through it.</summary>
    public required TurnIngress Ingress { get; init; }

    /// <summary>The account Aria validated when the link was made; the post acts only if Aria still says so.</summary>
    public required long AccountNo { get; init; }

    /// <summary>The method the new card replaces (it takes over its billing group); null adds one.</summary>
    public long? ReplacesPaymentMethodNo { get; init; }

    public string? Locale { get; init; }

    /// <summary>Aria's <c>client_receipt_id</c> for this link's one write: a second submit can never add a second method.</summary>
    public required string ReceiptId { get; init; }

    /// <summary>Where the chat is told the outcome (no secret: ids and the service URL).</summary>
    public ConversationReference? Reference { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set, under the record's eTag, by the one post that may act; a refused card clears it again.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>How the link ended, once it has: <c>added</c> or <c>unknown</c>.</summary>
    public string? Outcome { get; set; }

    public override string ToString() => $"PaymentMethodLink {{ LinkId = {LinkId}, ExpiresAt = {ExpiresAt:O}, Submitted = {SubmittedAt is not null} }}";
}
