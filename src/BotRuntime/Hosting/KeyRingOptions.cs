using System.ComponentModel.DataAnnotations;

namespace BotRuntime.Hosting;

/// <summary>
/// The Data Protection key ring shared by all instances (configuration section <c>DataProtection</c>). Keys live in
/// the state store (<see cref="State.StorageXmlRepository"/>).
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// Isolates this application's payloads from other applications' over the same keys; every instance of one
    /// deployment must use the same value or they reject each other's cookies and links. Default <c>AriaBot</c>.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string ApplicationName { get; set; } = "AriaBot";

    /// <summary>How long a new key is the one that protects; older keys keep unprotecting. Default 90 days (the framework's).</summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "3650.00:00:00")]
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(90);
}
