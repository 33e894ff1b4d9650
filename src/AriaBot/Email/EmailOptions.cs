using System.ComponentModel.DataAnnotations;
using System.Net.Mail;

namespace AriaBot.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain SMTP (only for a relay on the same host or a test server).</summary>
    None,

    /// <summary>Connect in plain text, then require STARTTLS (port 587, the usual submission port).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Implicit,
}

/// <summary>
/// Section <c>Email</c>: the SMTP server customer e-mail goes through, and the durable outbox that sends it. Without a
/// <see cref="Host"/> nothing is sent (queued messages wait and are retried), except in Development with the Aria
/// sandbox, where the local outbox (<c>/dev/outbox</c>) stands in for a server.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>The SMTP server. Default none (nothing is sent).</summary>
    public string? Host { get; set; }

    /// <summary>Default 587 (submission with STARTTLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Default <see cref="SmtpTlsMode.StartTls"/>: a server that cannot do TLS is refused rather than used in clear.</summary>
    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>The SMTP login, when the server wants one (with <see cref="Password"/>; from secrets, never from a committed file).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address, e.g. <c>no-reply@example.com</c>. Required with a <see cref="Host"/>.</summary>
    public string? FromAddress { get; set; }

    /// <summary>The sender's display name. Default "Customer service".</summary>
    public string FromName { get; set; } = "Customer service";

    /// <summary>
    /// The Development outbox: messages are kept in memory (the last <see cref="DevelopmentOutboxSize"/>) and shown on
    /// <c>/dev/outbox</c> instead of being sent. Null (the default) turns it on exactly when the Aria sandbox serves this
    /// process and no <see cref="Host"/> is set; true is refused next to a real Aria.
    /// </summary>
    public bool? DevelopmentOutbox { get; set; }

    [Range(1, 200)]
    public int DevelopmentOutboxSize { get; set; } = 20;

    /// <summary>How long one SMTP exchange may take before it counts as failed (and is retried). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox looks for due jobs besides being woken by a new one. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay; each further retry doubles it (at most an hour). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OutboxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a job is given up (and logged). Default 8 (about two hours of retries).</summary>
    [Range(1, 50)]
    public int OutboxMaxAttempts { get; set; } = 8;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Host))
        {
            if (string.IsNullOrWhiteSpace(FromAddress) || !MailAddress.TryCreate(FromAddress, out _))
            {
                yield return new ValidationResult("Email:FromAddress must be an e-mail address when Email:Host is set.", [nameof(FromAddress)]);
            }
            if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
            {
                yield return new ValidationResult("Email:UserName and Email:Password go together (both or neither).", [nameof(UserName)]);
            }
        }
    }
}
