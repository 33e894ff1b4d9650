using System.ComponentModel.DataAnnotations;

namespace AriaBot.Session;

/// <summary>Configuration section <c>AriaSession</c>: keeping a bound Aria session alive while the customer chats.</summary>
public sealed class AriaSessionOptions
{
    public const string SectionName = "AriaSession";

    /// <summary>
    /// A turn that checks the session first extends it (<c>keep_alive_m</c>) when the bot last created or extended it
    /// longer ago than this. Aria ends a session the client's configured minutes after it was created or last extended,
    /// and <c>validate_session_m</c> does not extend it; a customer who keeps chatting is therefore safe as long as no
    /// pause between two turns is longer than that lifetime minus this value. Default 10 minutes: a third of the
    /// sandbox's 30-minute sessions (Aria's own default is not documented; set about a third of your client's
    /// session minutes). Smaller values cost more calls; values at or above the lifetime never keep anyone signed in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan KeepAliveAfter { get; set; } = TimeSpan.FromMinutes(10);
}
