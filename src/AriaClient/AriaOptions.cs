using System.ComponentModel.DataAnnotations;

namespace Aria.Client;

/// <summary>
/// How to reach Aria; bound from the <c>Aria</c> configuration section and validated at start-up.
/// <see cref="ClientNo"/> and <see cref="AuthKey"/> come from user secrets or the environment
/// (<c>Aria__AuthKey</c>), never from a committed file.
/// </summary>
public sealed class AriaOptions : IValidatableObject
{
    public const string SectionName = "Aria";

    /// <summary>
    /// Aria's host, e.g. <c>https://secure.ariasystems.net</c>, or the sandbox
    /// (<c>http://localhost:3978/aria-sandbox</c>). No default: a missing value fails start-up.
    /// </summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>Aria's client number for the business. Required.</summary>
    [Range(1, long.MaxValue)]
    public long ClientNo { get; set; }

    /// <summary>The client's API key (Aria allows up to 32 characters). Required; never logged.</summary>
    [Required]
    [StringLength(32, MinimumLength = 1)]
    public string AuthKey { get; set; } = string.Empty;

    /// <summary>Form to the dispatcher (default, as Aria's PHP SDK does) or JSON to <c>/v1/core</c>.</summary>
    public AriaTransport Transport { get; set; } = AriaTransport.Form;

    /// <summary>Time one attempt may take before it is abandoned. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a call may take across all its attempts. Default 30 s; must exceed <see cref="AttemptTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries after a transient failure (5xx, 408, 429, network error, attempt timeout). Only reads,
    /// previews (<c>do_write=false</c>) and writes that carry a <c>client_receipt_id</c> are retried.
    /// Default 2.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Base delay between retries, growing exponentially with jitter. Default 300 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the sampling window before the circuit may open. Default 10.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which failures are counted. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one through. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is not null && (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Aria:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }

        if (BaseUrl is not null && !string.IsNullOrEmpty(BaseUrl.Query))
        {
            yield return new ValidationResult("Aria:BaseUrl must not carry a query string.", [nameof(BaseUrl)]);
        }

        if (BaseUrl is not null && BaseUrl.IsAbsoluteUri
            && (BaseUrl.AbsolutePath.TrimEnd('/').EndsWith(AriaPaths.Dispatcher, StringComparison.OrdinalIgnoreCase)
                || BaseUrl.AbsolutePath.TrimEnd('/').EndsWith(AriaPaths.Core, StringComparison.OrdinalIgnoreCase)))
        {
            yield return new ValidationResult(
                "Aria:BaseUrl is the host (e.g. https://secure.ariasystems.net), without /api/ws/api_ws_class_dispatcher.php or /v1/core: Aria:Transport picks the endpoint.",
                [nameof(BaseUrl)]);
        }

        if (TotalTimeout <= AttemptTimeout)
        {
            yield return new ValidationResult("Aria:TotalTimeout must be longer than Aria:AttemptTimeout.", [nameof(TotalTimeout)]);
        }
    }
}
