using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AriaBot.Notifications.Receiver;

/// <summary>
/// Section <c>AriaEvents</c>: the receiver of Aria's event notifications (<c>POST /api/aria/events</c>). Every key has
/// a default that is safe where it applies; validated at start.
/// </summary>
public sealed class AriaEventsOptions : IValidatableObject
{
    public const string SectionName = "AriaEvents";

    /// <summary>The largest body accepted (256 KiB); Aria's documents are a few KiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// The key every event must carry in <c>auth_key</c>, compared in constant time. Default: none, which means the
    /// Aria client's own <c>Aria:AuthKey</c> (Aria puts the client's key in each notification).
    /// </summary>
    public string? AuthKey { get; set; }

    /// <summary>Refuse plain HTTP (answered 403 with a reason). Default null: required everywhere but Development.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>
    /// Check the caller's address against <see cref="AllowedNetworks"/>. Default null: on in Production, off elsewhere.
    /// Aria's address range is a precondition of event notifications (ask Aria support); with the check on and no
    /// networks listed every event is refused, and a warning says why at start-up.
    /// </summary>
    public bool? EnforceAllowList { get; set; }

    /// <summary>CIDR ranges (<c>203.0.113.0/24</c>) or single addresses events may come from.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How long a <c>transaction_id</c> is remembered, so a redelivered event is acknowledged and not acted on again. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            if (ParseNetwork(network) is null)
            {
                yield return new ValidationResult($"AriaEvents:AllowedNetworks holds '{network}', which is neither an address nor a CIDR range.", [nameof(AllowedNetworks)]);
            }
        }
    }

    /// <summary>A CIDR range, or a single address as a /32 (/128).</summary>
    public static IPNetwork? ParseNetwork(string value)
    {
        if (IPNetwork.TryParse(value, out var network))
        {
            return network;
        }
        return IPAddress.TryParse(value, out var address) ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : null;
    }
}
