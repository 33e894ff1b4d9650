using System.ComponentModel.DataAnnotations;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Section <c>AccountEmailChange</c>: the verified change of the account contact's e-mail (the address password resets
/// go to). A code is e-mailed to the new address and entered on a secure page before anything is written to Aria.
/// </summary>
public sealed class EmailChangeOptions
{
    public const string SectionName = "AccountEmailChange";

    /// <summary>Off: the chat refuses the account e-mail with a reason, as before. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the page's link works. Default 30 min.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an e-mailed code works. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong codes before the change is locked (it must be asked for again). Default 5.</summary>
    [Range(1, 10)]
    public int CodeAttempts { get; set; } = 5;

    /// <summary>Codes sent per account per <see cref="CodesWindow"/> (each change asked for sends one). Default 3.</summary>
    [Range(1, 20)]
    public int CodesPerAccount { get; set; } = 3;

    /// <summary>Default one day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CodesWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Posts of the page per client address per <see cref="PostsPerIpWindow"/>. Default 10 a minute.</summary>
    [Range(1, 1000)]
    public int PostsPerIp { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PostsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);
}
