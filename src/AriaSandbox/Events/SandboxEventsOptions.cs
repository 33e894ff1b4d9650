namespace Aria.Sandbox.Events;

/// <summary>
/// <c>Aria:SandboxEvents</c>: where and how the sandbox sends Aria's event notifications (reference §13).
/// Off unless <see cref="Url"/> is set.
/// </summary>
public sealed class SandboxEventsOptions
{
    /// <summary>Absolute http(s) URL the documents are POSTed to. Default: none (no events are made at all).</summary>
    public Uri? Url { get; set; }

    /// <summary><c>Xml</c> (Aria's XML document, <c>text/xml</c>) or <c>NameValue</c> (form-encoded pairs). Default <c>Xml</c>.</summary>
    public SandboxEventFormat Format { get; set; } = SandboxEventFormat.Xml;

    /// <summary>
    /// Collect each new invoice from the account's primary payment method at billing, with declines.
    /// Default false, so the demo balances stay as the seed documents them.
    /// </summary>
    public bool AutomaticCollection { get; set; }

    /// <summary>Attempts per document, the first included (Aria allows up to 9). Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; it doubles each time. Default 2 seconds (Aria recommends 300 to its clients).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one POST may take before it counts as failed. Default 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where to send, or null for no events: an empty <c>Url</c> in configuration binds to an empty relative Uri.</summary>
    internal Uri? Target => string.IsNullOrWhiteSpace(Url?.OriginalString) ? null : Url;

    /// <summary>The settings' problems, for start-up validation.</summary>
    internal IEnumerable<string> Problems()
    {
        if (Target is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return "Aria:SandboxEvents:Url must be an absolute http or https URL (or empty for no events)";
        }

        if (MaxAttempts is < 1 or > 9)
        {
            yield return "Aria:SandboxEvents:MaxAttempts must be between 1 and 9";
        }

        if (RetryDelay < TimeSpan.Zero || Timeout <= TimeSpan.Zero)
        {
            yield return "Aria:SandboxEvents:RetryDelay must not be negative and Aria:SandboxEvents:Timeout must be positive";
        }
    }
}

public enum SandboxEventFormat
{
    /// <summary>Aria's <c>&lt;apf2doc&gt;</c> XML document.</summary>
    Xml,

    /// <summary>Form-encoded name-value pairs with the same fields.</summary>
    NameValue,
}
