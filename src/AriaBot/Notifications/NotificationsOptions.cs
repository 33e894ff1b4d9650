using System.ComponentModel.DataAnnotations;

namespace AriaBot.Notifications;

/// <summary>Section <c>Notifications</c>: when and how often customers hear about their accounts. Validated at start.</summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>Local time (the customer's zone) from which notices wait. Default 21:00. Equal start and end: no quiet hours.</summary>
    public TimeSpan QuietHoursStart { get; set; } = new(21, 0, 0);

    /// <summary>Local time at which waiting notices go out. Default 08:00.</summary>
    public TimeSpan QuietHoursEnd { get; set; } = new(8, 0, 0);

    /// <summary>
    /// At most this many notices per account per local day on the channels that push (Teams, Slack); more wait for the
    /// next day, never dropped. Default 3.
    /// </summary>
    [Range(1, 100)]
    public int DailyLimit { get; set; } = 3;

    /// <summary>How long a web-chat notice waits for the customer's next signed-in visit. Default 14 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan HeldFor { get; set; } = TimeSpan.FromDays(14);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (QuietHoursStart < TimeSpan.Zero || QuietHoursStart >= TimeSpan.FromDays(1) || QuietHoursEnd < TimeSpan.Zero || QuietHoursEnd >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Notifications:QuietHoursStart and QuietHoursEnd are times of day (00:00 to 23:59).", [nameof(QuietHoursStart), nameof(QuietHoursEnd)]);
        }
    }
}
