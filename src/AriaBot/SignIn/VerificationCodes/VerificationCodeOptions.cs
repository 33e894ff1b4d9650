using System.ComponentModel.DataAnnotations;

namespace AriaBot.SignIn.VerificationCodes;

/// <summary>
/// The limits of a code e-mailed to an address and entered on a secure page through a link: shared by the password
/// reset (section <c>PasswordReset</c>) and the account e-mail change (section <c>AccountEmailChange</c>). Each section
/// binds these keys itself, at its top level, so both sections keep the key names they always had; how many codes may
/// be sent, and per what, is each flow's own setting.
/// </summary>
public abstract class VerificationCodeOptions
{
    /// <summary>How long the page's link works (it is made with the chat's reply). Default 30 min.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an e-mailed code works. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong codes before the code is locked (the reset or change must be asked for again). Default 5.</summary>
    [Range(1, 10)]
    public int CodeAttempts { get; set; } = 5;

    /// <summary>The window the flow's number of codes sent is counted in. Default one day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CodesWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Posts of the page per client address per <see cref="PostsPerIpWindow"/>. Default 10 a minute.</summary>
    [Range(1, 1000)]
    public int PostsPerIp { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PostsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);
}
