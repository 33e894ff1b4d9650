using System.ComponentModel.DataAnnotations;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// The secure payment-method page (configuration section <c>PaymentMethods</c>), validated at start. Where links point
/// is <c>SignIn:PublicBaseUrl</c>: both pages are served by the same host.
/// </summary>
public sealed class PaymentMethodOptions : IValidatableObject
{
    public const string SectionName = "PaymentMethods";

    /// <summary>
    /// How long a payment-method link can be opened and submitted. Default 10 minutes; at least 10 seconds (under a
    /// minute is for tests that watch a link expire, and the chat still says "1 minute").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Card submissions that reach Aria per account per day (accepted or refused alike): a stolen session must not
    /// become a card-testing tool. Default 5.
    /// </summary>
    [Range(1, 100)]
    public int CardAttemptsPerAccountPerDay { get; set; } = 5;

    /// <summary>Card submissions that reach Aria per client address per day, across accounts. Default 10.</summary>
    [Range(1, 1000)]
    public int CardAttemptsPerIpPerDay { get; set; } = 10;

    /// <summary>Payment-method links made per conversation in 15 minutes. Default 5.</summary>
    [Range(1, 100)]
    public int LinksPerConversation { get; set; } = 5;

    /// <summary>
    /// The origins allowed to frame the page (CSP <c>frame-ancestors</c>), e.g. the customer portal
    /// <c>https://portal.example.com</c>. Default none: the page may not be framed at all.
    /// </summary>
    public List<string> PortalOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in PortalOrigins)
        {
            // An origin only (scheme, host, port): anything else would let the value break out of the CSP directive.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.Any(c => c is ';' or ',' or '\'' || char.IsWhiteSpace(c)))
            {
                yield return new ValidationResult($"PaymentMethods:PortalOrigins: '{origin}' is not an http(s) origin (scheme://host[:port]).", [nameof(PortalOrigins)]);
            }
        }
    }
}
